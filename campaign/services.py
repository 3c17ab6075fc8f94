"""Every write of the campaign app. Who may write is answered by `campaign.access`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from units.models import Unit

from .access import access_unit_reports, require_compiler
from .lifecycle import campaign_has_started, campaign_require_writable
from .models import Campaign, Period, Report, ReportEvent, Target, WarningAcknowledgement
from .plausibility import report_warning_states
from .selectors import reporting_units
from .tasks import notify_report_returned

REPORT_FIELDS = (
    "mandatory_actual", "voluntary_actual", "health_actual",
    "mandatory_last_year", "voluntary_last_year", "health_last_year",
    "revenue", "nonpublic_revenue", "due", "late", "late_interest",
)
TARGET_FIELDS = (
    "mandatory_plan", "mandatory_base", "voluntary_plan", "voluntary_base",
    "health_plan", "health_base", "revenue_plan", "late_max", "late_interest_max",
)
def _locked_message(period: Period) -> str:
    return f"{period.name} đã khóa sổ để tổng hợp; không thể thay đổi số liệu."


def _require_open(period: Period) -> None:
    if period.is_locked:
        raise ValidationError(_locked_message(period))


# The version a page sends when it was opened on a row that did not exist yet.
NO_ROW_VERSION = 0

MISSING_VERSION = (
    "Trang nhập liệu không cho biết anh/chị đã mở số liệu phiên bản nào, nên không thể biết "
    "có ai lưu sau đó hay không. Số liệu của anh/chị chưa được lưu; hãy tải lại trang rồi nhập lại."
)


def _check_version(obj, expected_version: int | None, what: str) -> None:
    """Refuse a save made from a stale page: someone else saved since it was opened.

    `expected_version` is the version the page showed, NO_ROW_VERSION when it was opened
    before the row existed. None (the field left out or sent empty) is refused: a guard the
    client could skip by omitting a field would be no guard.
    """
    if expected_version is None:
        raise ValidationError(MISSING_VERSION)
    current = obj.version if obj is not None else NO_ROW_VERSION
    if current == expected_version:
        return
    if obj is None:
        raise ValidationError(
            f"{what} anh/chị mở không còn trên hệ thống. Số liệu của anh/chị chưa được lưu; "
            "hãy tải lại trang rồi nhập lại."
        )
    who = obj.updated_by.get_full_name() or obj.updated_by.get_username() if obj.updated_by else "người khác"
    when = timezone.localtime(obj.updated_at).strftime("%H:%M %d/%m/%Y")
    raise ValidationError(
        f"{what} vừa được {who} cập nhật lúc {when}, sau khi anh/chị mở trang. Số liệu của "
        "anh/chị chưa được lưu; hãy tải lại trang để xem bản mới rồi nhập lại."
    )


def _lock_period(period: Period) -> Period:
    # Lock the period row so a roll-up cannot lock it between our check and our write.
    return Period.objects.select_for_update().get(pk=period.pk)


# --- validation shared by the form, the import and the service ---------------------------------

def report_cross_field_errors(data: dict) -> dict[str, str]:
    """Rules between two figures, checked whenever both are present."""
    errors = {}
    revenue, nonpublic = data.get("revenue"), data.get("nonpublic_revenue")
    if revenue is not None and nonpublic is not None and nonpublic > revenue:
        errors["nonpublic_revenue"] = "Số thu khối DN, HTX, ngoài công lập không được lớn hơn số thu lũy kế."
    late, late_interest = data.get("late"), data.get("late_interest")
    if late is not None and late_interest is not None and late_interest > late:
        errors["late_interest"] = "Số tiền chậm đóng phải tính lãi không được lớn hơn số tiền chậm đóng."
    due = data.get("due")
    if due is not None and late is not None and late > due:
        # Late payments are part of what is due (R8's ratio would pass 100 %): a typo's zeros.
        errors["late"] = "Số tiền chậm đóng không được lớn hơn số phải thu."
    return errors


def _figure_error(value) -> str | None:
    """Every figure of a report or a target is entered and not negative."""
    if value is None:
        return "Chưa nhập số liệu."
    if value < 0:
        return "Không được là số âm."
    return None


def validate_report_figures(data: dict) -> dict[str, str]:
    """Every rule of a report's figures; returns {field: Vietnamese message}."""
    errors = {}
    for field in REPORT_FIELDS:
        if error := _figure_error(data.get(field)):
            errors[field] = error
    return report_cross_field_errors(data) | errors


def validate_target_figures(data: dict) -> dict[str, str]:
    errors = {}
    for field in TARGET_FIELDS:
        value = data.get(field)
        error = _figure_error(value)
        if error is None and field in ("late_max", "late_interest_max") and value > 100:
            error = "Tỷ lệ phải trong khoảng 0–100 %."
        if error:
            errors[field] = error
    return errors


# --- reports ----------------------------------------------------------------------------------

def report_edit_refusal(period: Period, report: Report | None) -> str | None:
    """Why nobody may change this report now (its campaign has not launched, its month is
    locked, or it was submitted), or None. The editor's page shows the same words when it
    refuses a save."""
    campaign = period.campaign
    if not campaign_has_started(campaign):
        # The figures are cumulative to a month's end: before the launch there is nothing to report.
        return (f"Phong trào «{campaign.name}» bắt đầu từ ngày {campaign.launch_date:%d/%m/%Y}: "
                "chưa nhận báo cáo.")
    if period.is_locked:
        return _locked_message(period)
    if report is not None and report.is_submitted:
        return "Báo cáo đã gửi; Phòng Quản lý thu phải trả lại trước khi sửa."
    return None


@transaction.atomic
def report_save(
    *, user, period: Period, unit: Unit, data: dict, expected_version: int | None,
    submit: bool = False,
) -> Report:
    """Save a unit's report as a draft, or save and submit it.

    A submitted report is read-only: the compiler must return it to draft first.
    `expected_version` is the version the editor's page showed (NO_ROW_VERSION if the unit
    had no report then): a save over someone else's newer save, a first save included, is
    refused rather than lost.
    """
    unit = access_unit_reports(user=user, unit_code=unit.code, write=True)
    period = _lock_period(period)
    campaign_require_writable(period.campaign)
    report = Report.objects.select_for_update().filter(period=period, unit=unit).first()
    refusal = report_edit_refusal(period, report)
    if refusal is not None:
        raise ValidationError(refusal)
    _check_version(report, expected_version, "Báo cáo")
    errors = validate_report_figures(data)
    if errors:
        raise ValidationError(errors)
    if report is None:
        report = Report(period=period, unit=unit)
    for field in REPORT_FIELDS:
        setattr(report, field, data[field])
    report.source = Report.Source.FORM
    report.updated_by = user
    now = timezone.now()
    if submit:
        report.status = Report.Status.SUBMITTED
        report.submitted_at = now
        report.submitted_by = user
    report.full_clean()
    report.save()
    ReportEvent.objects.create(
        report=report, actor=user,
        action=ReportEvent.Action.SUBMITTED if submit else ReportEvent.Action.SAVED,
    )
    return report


@transaction.atomic
def report_return(*, user, report: Report, reason: str) -> Report:
    """The compiler sends a submitted report back to its unit, saying why."""
    require_compiler(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Phải ghi lý do trả lại báo cáo.")
    period = _lock_period(report.period)
    campaign_require_writable(period.campaign)
    _require_open(period)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_submitted:
        raise ValidationError("Chỉ trả lại được báo cáo đã gửi.")
    report.status = Report.Status.DRAFT
    report.submitted_at = None
    report.submitted_by = None
    report.updated_by = user
    report.save()
    event = ReportEvent.objects.create(report=report, actor=user, action=ReportEvent.Action.RETURNED,
                                       note=reason)
    notify_report_returned.delay_on_commit(event.pk)
    return report


@transaction.atomic
def warning_acknowledge(*, user, report: Report, key: str, fingerprint: str,
                        note: str) -> WarningAcknowledgement:
    """The compiler confirms that a figure a plausibility rule doubts is right, saying why.

    Preconditions: the user is the compiler; the campaign is writable and the period open (a
    locked month's figures are decided); the warning `key` is raised now by exactly the figures
    `fingerprint` names (a page opened before a change acknowledges nothing). The
    acknowledgement holds for those figures only, and the report's history records it.
    Acknowledging the same warning twice keeps the first.
    """
    require_compiler(user)
    note = (note or "").strip()
    if not note:
        raise ValidationError("Phải ghi lý do xác nhận số liệu là đúng (ví dụ: đã kiểm tra với đơn vị).")
    period = _lock_period(report.period)
    campaign_require_writable(period.campaign)
    _require_open(period)
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    states = report_warning_states(period=period, unit=report.unit, report=report)
    state = next((s for s in states if s.warning.key == key and s.warning.fingerprint == fingerprint), None)
    if state is None:
        raise ValidationError(
            f"Cảnh báo này không còn với số liệu hiện tại của {report.unit.name} (số liệu đã được "
            "sửa, hoặc trang đã cũ); hãy tải lại trang để xem các cảnh báo hiện có."
        )
    if state.acknowledgement is not None:
        return state.acknowledgement
    acknowledgement = WarningAcknowledgement.objects.create(
        report=report, key=key, evidence=fingerprint, message=state.warning.message, note=note,
        by=user,
    )
    ReportEvent.objects.create(
        report=report, actor=user, action=ReportEvent.Action.ACKNOWLEDGED,
        note=f"{state.warning.message} Lý do xác nhận: {note}",
    )
    return acknowledgement


# --- targets ----------------------------------------------------------------------------------

@transaction.atomic
def target_save(
    *, user, campaign: Campaign, unit: Unit, data: dict, expected_version: int | None,
) -> Target:
    """`expected_version` as for report_save: the version the page showed, NO_ROW_VERSION if
    the unit had no target then."""
    require_compiler(user)
    campaign_require_writable(campaign)
    if not reporting_units().filter(pk=unit.pk).exists():
        raise ValidationError(
            f"{unit.name} không báo cáo số liệu (chỉ BHXH cơ sở đang hoạt động và Phòng Quản lý "
            "thu có chỉ tiêu); không giao chỉ tiêu cho đơn vị này."
        )
    errors = validate_target_figures(data)
    if errors:
        raise ValidationError(errors)
    # Lock the campaign row: two first saves of one unit's target wait for each other instead
    # of both inserting (a row that does not exist yet cannot be locked).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    target = Target.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    _check_version(target, expected_version, "Chỉ tiêu")
    if target is None:
        target = Target(campaign=campaign, unit=unit)
    for field in TARGET_FIELDS:
        setattr(target, field, data[field])
    target.updated_by = user
    target.full_clean()
    target.save()
    return target
