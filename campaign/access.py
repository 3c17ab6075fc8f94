"""Who may read or write the campaign's reports, targets and Excel files: the one place that
answers it.

Services call the `require_*` / `access_*` helpers before they write; views call them to
fetch what a user may open. A wrong role is a PermissionDenied (403); a unit the user may not
see answers 404, so that a guessed URL reveals nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from units.models import Role, Unit
from units.roles import has_role, user_unit

from .selectors import reporting_units

MANAGER_ROLES = (Role.COMPILER, Role.APPRAISER, Role.FINANCE, Role.DIRECTOR)


def may_write_unit_reports(user, unit: Unit) -> bool:
    if has_role(user, Role.COMPILER):
        return True
    return has_role(user, Role.UNIT_STAFF) and user_unit(user) == unit


def unit_panels_open_to(user) -> set[str] | None:
    """Codes of the units whose reports and panel the user may open; None for every unit.
    The same answer as access_unit_reports, asked once for a whole list, so a page links a
    unit's name only for those who may follow the link."""
    if has_role(user, *MANAGER_ROLES):
        return None
    unit = user_unit(user) if has_role(user, Role.UNIT_STAFF) else None
    return {unit.code} if unit is not None else set()


def access_unit_reports(*, user, unit_code: str, write: bool) -> Unit:
    """The unit whose reports the user may open.

    Staff reach only their own unit; any other unit answers 404 so that a guessed URL reveals
    nothing. The compiler reads and writes every unit; the other managers only read.
    """
    # Only units that report figures have reports: active local offices and the collection
    # department (R12); any other code answers 404 like a unit of someone else's.
    unit = get_object_or_404(reporting_units(), code=unit_code)
    if may_write_unit_reports(user, unit):
        return unit
    if has_role(user, *MANAGER_ROLES):
        if write:
            raise PermissionDenied("Vai trò của anh/chị chỉ được xem báo cáo.")
        return unit
    raise Http404("Không tìm thấy đơn vị.")


def require_compiler(user) -> None:
    if not has_role(user, Role.COMPILER):
        raise PermissionDenied("Chỉ Phòng Quản lý thu được thực hiện thao tác này.")


def require_importer(user) -> None:
    """Only the collection department (role compiler) and administrators import or export."""
    if not has_role(user, Role.COMPILER):
        raise PermissionDenied("Chỉ Phòng Quản lý thu được nhập, xuất số liệu Excel.")


def may_read_definitions(user) -> bool:
    """Every manager reads and downloads a campaign's definition (its thresholds and ladder are
    what they work with); unit staff read them on the rules page."""
    return has_role(user, *MANAGER_ROLES)


def may_define_campaigns(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def require_campaign_definer(user) -> None:
    """Only the administrator creates, edits or uploads a campaign's definition.

    Not the compiler: the thresholds, the ladder, the amounts and the budget are what the
    director signs in the launching dispatch, and the compiler is the one whose roll-ups are
    measured against them and who proposes the prizes they pay; keeping the two apart is the
    office's separation of duties. The administrator enters the signed dispatch."""
    if not may_define_campaigns(user):
        raise PermissionDenied("Chỉ quản trị hệ thống được tạo, sửa hoặc nạp định nghĩa phong trào.")


def require_definition_reader(user) -> None:
    if not may_read_definitions(user):
        raise PermissionDenied("Vai trò của anh/chị không xem định nghĩa phong trào.")
