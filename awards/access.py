"""Who may do what with an award dossier: the one place that answers it.

Services call `require_action` before they write; views call `access_dossier` to fetch a
dossier for a user. A wrong role is a PermissionDenied (403), whatever the dossier's state.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from units.models import Role
from units.roles import has_role

from .models import Dossier

READ = "read"
EDIT = "edit"
SUBMIT = "submit"
RETURN = "return"
APPRAISE = "appraise"
APPROVE = "approve"
PAY = "pay"
UNPAY = "unpay"

# The dossier, the budget and the documents are for the four departments that handle awards
# (and administrators); unit staff see the published results on the summary page instead.
READERS = (Role.COMPILER, Role.APPRAISER, Role.DIRECTOR, Role.FINANCE)

ACTION_ROLES = {
    READ: READERS,
    EDIT: (Role.COMPILER,),
    SUBMIT: (Role.COMPILER,),
    RETURN: (Role.APPRAISER,),
    APPRAISE: (Role.APPRAISER,),
    APPROVE: (Role.DIRECTOR,),
    PAY: (Role.FINANCE,),
    UNPAY: (Role.FINANCE,),
}

REFUSALS = {
    READ: "Chỉ Phòng Quản lý thu, Phòng Tổ chức - Hành chính, Phòng Kế hoạch - Tài chính và "
          "Giám đốc được xem hồ sơ khen thưởng.",
    EDIT: "Chỉ Phòng Quản lý thu được lập và sửa đề xuất khen thưởng.",
    SUBMIT: "Chỉ Phòng Quản lý thu được trình hồ sơ khen thưởng.",
    RETURN: "Chỉ Phòng Tổ chức - Hành chính được trả lại hồ sơ.",
    APPRAISE: "Chỉ Phòng Tổ chức - Hành chính được thẩm định hồ sơ.",
    APPROVE: "Chỉ Giám đốc được phê duyệt hồ sơ khen thưởng.",
    PAY: "Chỉ Phòng Kế hoạch - Tài chính được ghi nhận chi trả tiền thưởng.",
    UNPAY: "Chỉ Phòng Kế hoạch - Tài chính được hủy một khoản chi đã ghi nhận.",
}


def may(user, action: str) -> bool:
    return has_role(user, *ACTION_ROLES[action])


def require_action(user, action: str) -> None:
    if user is None or not may(user, action):
        raise PermissionDenied(REFUSALS[action])


def access_dossier(*, user, pk: int, action: str = READ) -> Dossier:
    """The dossier `pk` if `user` may do `action` with it (404 if it does not exist)."""
    require_action(user, action)
    return get_object_or_404(Dossier.objects.select_related("period__campaign", "snapshot").defer("snapshot__inputs"), pk=pk)
