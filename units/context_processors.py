from django.utils.functional import SimpleLazyObject

from .models import Organisation, Role
from .roles import has_role, role_labels, user_unit


def organisation(request):
    """The office's name and place, for the title, the menu and the error pages; read only by
    the templates that print it."""
    return {"organisation": SimpleLazyObject(Organisation.current)}


def current_role(request):
    """Navigation needs to know, on every page, what the user may open."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_unit": user_unit(user),
        "nav_roles": role_labels(user),
        "nav_is_compiler": has_role(user, Role.COMPILER),
        "nav_is_staff": has_role(user, Role.UNIT_STAFF),
        # The award dossiers and the budget are for the managers (awards/access.py READERS).
        "nav_awards": has_role(user, Role.COMPILER, Role.APPRAISER, Role.DIRECTOR, Role.FINANCE),
    }
