from .models import Role
from .roles import has_role, role_labels, user_unit


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
