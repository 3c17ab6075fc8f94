from django.utils.functional import SimpleLazyObject

from .models import Campaign
from .scope import PREFIX, base_prefix, campaign_path


def campaign_switcher(request):
    """The menu's campaign switcher: the campaign this page serves (None on a page of no
    campaign, such as the archive) and every campaign with the address of its home page.
    The list is read only when the menu is drawn, i.e. for a logged-in user."""
    if not request.user.is_authenticated:
        return {}

    def campaigns():
        return [{"campaign": c, "url": campaign_path(c)} for c in Campaign.objects.only(
            "code", "name", "year", "launch_date")]

    return {
        "nav_campaign": getattr(request, "campaign", None),
        "nav_campaigns": SimpleLazyObject(campaigns),
        "archive_url": base_prefix() + PREFIX,
    }
