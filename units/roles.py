"""Who a user is: their unit (through their Person record) and their roles (auth groups)."""

from django.contrib.auth.models import AnonymousUser, User

from .models import Person, Role, Unit


def user_roles(user: User | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & set(roles))


def user_unit(user) -> Unit | None:
    if not user.is_authenticated:
        return None
    if not User.person.is_cached(user):
        # The menu names the user's unit on every page: the person and the unit in one query,
        # kept as user.person for the rest of the request.
        person = Person.objects.select_related("unit").filter(user=user).first()
        if person is not None:
            user.person = person
    person = getattr(user, "person", None)
    if person is None or not person.active or not person.unit.active:
        return None  # staff who left, or a closed unit, reach no unit's figures
    return person.unit


def role_labels(user) -> list[str]:
    if getattr(user, "is_superuser", False):
        return ["Quản trị hệ thống"]
    return [Role(r).label for r in sorted(user_roles(user)) if r in Role.values]
