from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from units.confirm import confirmation_page, confirmed
from units.models import Role, Unit
from units.roles import has_role

from . import access, plausibility, selectors, services
from .definition_views import upload_url
from .forms import AcknowledgeWarningForm, ReportForm, ReturnReportForm, TargetForm
from .lifecycle import campaign_stage
from .models import Campaign, Period
from .preview import report_preview
from .scope import campaign_path, campaign_urls, campaign_view


def _campaign_and_period(request, number: int | None = None):
    campaign = request.campaign
    if campaign is None:
        if number is not None:
            raise Http404("Chưa có phong trào thi đua nào.")
        return None, None
    if number is None:
        return campaign, selectors.current_period(campaign)
    return campaign, get_object_or_404(Period, campaign=campaign, number=number)


def _form_errors_to_messages(request, error: ValidationError, form=None) -> None:
    if form is not None and hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return
    for message in error.messages:
        messages.error(request, message)


def _act_on_form(request, form, success: str, action) -> None:
    """A posted form: `action(cleaned_data)` if it is valid; the outcome, or every error, as a
    message on the page the view returns to."""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        _form_errors_to_messages(request, error)
    else:
        messages.success(request, success)


@login_required
def archive(request):
    """Every campaign, newest first, with its stage, dates and the way into it. Not a page of
    one campaign: its links name each campaign in their addresses."""
    rows = []
    for campaign in Campaign.objects.order_by("-launch_date", "code"):
        with campaign_urls(campaign):
            links = {"ranking": reverse("scoring:ranking_current"), "summary": reverse("awards:summary"),
                     "dashboard": reverse("dashboard:dashboard"),
                     "definition": reverse("campaign:definition"),
                     "copy": reverse("campaign:definition_copy")}
        rows.append({"campaign": campaign, "stage": campaign_stage(campaign),
                     "home": campaign_path(campaign), "links": links})
    return render(request, "campaign/archive.html", {
        "rows": rows, "may_read_definitions": access.may_read_definitions(request.user),
        "may_define": access.may_define_campaigns(request.user),
        "upload_url": upload_url(),
    })


@login_required
@campaign_view
def report_edit(request, number: int, unit_code: str):
    campaign, period = _campaign_and_period(request, number)
    unit = access.access_unit_reports(user=request.user, unit_code=unit_code, write=False)
    may_write = access.may_write_unit_reports(request.user, unit)
    report = selectors.report_for(period, unit)
    refusal = services.report_edit_refusal(period, report)
    editable = may_write and refusal is None
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and not editable:
        # A read-only role answers 403; a month locked or a report submitted since the page was
        # opened is said in words, and what was typed stays on the page rather than vanishing.
        access.access_unit_reports(user=request.user, unit_code=unit.code, write=True)
        messages.error(request, f"{refusal} Số liệu vừa nhập chưa được lưu.")
        form = ReportForm(initial=request.POST.dict(), instance=report)
    elif request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        if submit and not confirmed(request):
            warnings = plausibility.report_warning_states(
                period=period, unit=unit, report=report, figures=form.cleaned_data)
            return _submit_confirmation(request, period, unit, warnings)
        try:
            services.report_save(
                user=request.user, period=period, unit=unit, data=form.cleaned_data, submit=submit,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, "Đã gửi báo cáo." if submit else "Đã lưu bản nháp.")
            return redirect("campaign:report_edit", number=period.number, unit_code=unit.code)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    figures = form.cleaned_data if form.is_bound and form.is_valid() else None
    warnings = plausibility.report_warning_states(period=period, unit=unit, report=report,
                                                  figures=figures)
    form.mark_warnings(warnings)
    is_compiler = has_role(request.user, Role.COMPILER)
    preview = report_preview(
        period=period, unit=unit, report=report, figures=figures,
        target=selectors.target_for(campaign, unit),
    )
    return render(request, "campaign/report_edit.html", {
        "campaign": campaign, "period": period, "unit": unit, "report": report, "form": form,
        "editable": editable, "preview": preview, "warnings": warnings,
        # Acknowledged only on the figures stored: what is typed but unsaved is not the report.
        "acknowledge": is_compiler and report is not None and figures is None
        and not period.is_locked,
        "events": report.events.select_related("actor")[:20] if report else [],
        "return_form": ReturnReportForm() if is_compiler else None,
        "history": selectors.change_history(report)
        if report and has_role(request.user, Role.COMPILER, Role.DIRECTOR) else None,
    })


def _submit_confirmation(request, period, unit, warnings):
    due = timezone.localtime(period.rollup_due_at)
    doubts = [s for s in warnings if s.is_open]
    return confirmation_page(
        request, title=f"gửi báo cáo {period.name} của {unit.name}",
        consequences=[
            f"Báo cáo {period.name} của {unit.name} được gửi tới Phòng Quản lý thu với các số liệu "
            "vừa nhập.",
            "Đơn vị không tự sửa được nữa: chỉ Phòng Quản lý thu trả lại được để sửa, trước khi "
            f"kỳ được tổng hợp và khóa sổ lúc {due:%H:%M} ngày {due:%d/%m/%Y}.",
        ] + ([
            f"Số liệu có {len(doubts)} cảnh báo (vẫn gửi được; Phòng Quản lý thu sẽ kiểm tra "
            "trước khi tổng hợp). Nếu số liệu chưa đúng, bấm Quay lại để sửa:",
        ] + [s.warning.message for s in doubts] if doubts else []),
        button="Xác nhận gửi báo cáo",
        cancel_url=reverse("campaign:report_edit", args=[period.number, unit.code]),
    )


@login_required
@require_POST
@campaign_view
def report_return(request, number: int, unit_code: str):
    access.require_compiler(request.user)
    campaign, period = _campaign_and_period(request, number)
    unit = get_object_or_404(Unit, code=unit_code)
    report = get_object_or_404(period.reports, unit=unit)
    _act_on_form(request, ReturnReportForm(request.POST), f"Đã trả lại báo cáo của {unit.name}.",
                 lambda data: services.report_return(user=request.user, report=report,
                                                     reason=data["reason"]))
    return redirect("campaign:report_edit", number=number, unit_code=unit_code)


@login_required
@require_POST
@campaign_view
def warning_acknowledge(request, number: int, unit_code: str):
    """The compiler confirms a doubtful figure is right; back to the list, or to the report."""
    access.require_compiler(request.user)
    campaign, period = _campaign_and_period(request, number)
    unit = get_object_or_404(Unit, code=unit_code)
    report = get_object_or_404(period.reports, unit=unit)
    _act_on_form(request, AcknowledgeWarningForm(request.POST), f"Đã xác nhận số liệu của {unit.name}.",
                 lambda data: services.warning_acknowledge(user=request.user, report=report, **data))
    if request.POST.get("back") == "report":
        return redirect("campaign:report_edit", number=number, unit_code=unit_code)
    return redirect(reverse("campaign:period_reports", args=[number]) + "#canh-bao")


@login_required
@campaign_view
def period_reports(request, number: int | None = None):
    access.require_compiler(request.user)
    campaign, period = _campaign_and_period(request, number)
    if period is None:
        messages.info(request, "Chưa có phong trào thi đua nào.")
        return redirect("home")
    rows = selectors.period_report_rows(period)
    warnings = plausibility.period_warnings(period, [(r.unit, r.report) for r in rows if r.report])
    open_counts = {w.unit.pk: w.open_count for w in warnings}
    return render(request, "campaign/period_reports.html", {
        "campaign": campaign, "period": period, "periods": campaign.periods.all(),
        "rows": [(row, open_counts.get(row.unit.pk, 0)) for row in rows], "warnings": warnings,
        "open_total": plausibility.open_warning_count(warnings),
        "bounds": plausibility.bounds(),
        "acknowledge": not period.is_locked,
    })


@login_required
@campaign_view
def targets(request):
    access.require_compiler(request.user)
    campaign = request.campaign
    if campaign is None:
        messages.info(request, "Chưa có phong trào thi đua nào.")
        return redirect("home")
    return render(request, "campaign/targets.html", {
        "campaign": campaign, "rows": selectors.campaign_target_rows(campaign),
    })


@login_required
@campaign_view
def target_edit(request, unit_code: str):
    access.require_compiler(request.user)
    campaign = request.campaign
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    unit = get_object_or_404(selectors.reporting_units(), code=unit_code)
    target = selectors.target_for(campaign, unit)
    form = TargetForm(request.POST or None, instance=target, baseline_date=campaign.baseline_date)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(
                user=request.user, campaign=campaign, unit=unit, data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, f"Đã lưu chỉ tiêu của {unit.name}.")
            return redirect("campaign:targets")
    return render(request, "campaign/target_edit.html", {
        "campaign": campaign, "unit": unit, "form": form, "target": target,
        "history": selectors.change_history(target) if target else None,
    })
