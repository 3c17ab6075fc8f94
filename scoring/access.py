"""Who may roll up or reopen a period: the one place that answers it.

The roll-up also runs with no user at all, for the schedule and the management command, so the
check here lets `None` (the system) through, unlike `campaign.access.require_compiler`.
"""

from django.core.exceptions import PermissionDenied

from units.models import Role
from units.roles import has_role

from .models import Snapshot

NO_REQUESTER = ("Lần tổng hợp thủ công không còn người yêu cầu (tài khoản đã bị xóa); Phòng Quản "
                "lý thu hãy yêu cầu tổng hợp lại.")


def require_compiler_or_system(user) -> None:
    """The compiler, or no user (the schedule or a command)."""
    if user is not None and not has_role(user, Role.COMPILER):
        raise PermissionDenied("Chỉ Phòng Quản lý thu được tổng hợp hoặc mở lại kỳ thi đua.")


def require_rollup_requester(*, user, trigger: str) -> None:
    """A manual roll-up is the compiler's who asked; only the schedule or a command runs one
    with no user. A manual run whose requester is gone is refused, not run with the system's
    rights."""
    if trigger == Snapshot.Trigger.MANUAL and user is None:
        raise PermissionDenied(NO_REQUESTER)
    require_compiler_or_system(user)
