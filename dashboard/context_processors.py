from django.utils.functional import SimpleLazyObject

from campaign.selectors import current_campaign

from . import worklist


def waiting(request):
    """The number of steps waiting for the user, beside the menu; counted only by a page that
    prints it."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_waiting": SimpleLazyObject(
        lambda: worklist.menu_count(user, current_campaign()))}
