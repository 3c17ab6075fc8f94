"""Excel pages for the compiler: templates, upload → preview → confirm, exports.

Thin: the access helper, one service call, a response. Every rule lives in
`campaign.imports` (services) and `campaign.xlsx` (the openpyxl edge).
"""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import access, exports, imports, xlsx
from .models import Campaign, ImportBatch, Period
from .scope import campaign_view

RECENT_BATCHES = 20


def _batch_campaign(pk: int, **kwargs):
    return Campaign.objects.filter(imports__pk=pk).first()


batch_view = campaign_view(owner=_batch_campaign)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        error_messages={
            "required": "Hãy chọn một tệp Excel (.xlsx) để tải lên.",
            "empty": "Tệp đã chọn trống (0 byte): hãy lưu lại tệp trong Excel rồi tải lên lần nữa.",
        },
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "class": "form-control",
        }),
    )


def _campaign(request) -> Campaign:
    campaign = request.campaign
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua nào.")
    return campaign


def _period(campaign: Campaign, number: int) -> Period:
    return get_object_or_404(Period.objects.select_related("campaign"), campaign=campaign,
                             number=number)


def _xlsx(data: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename,
                        content_type=xlsx.XLSX_CONTENT_TYPE)


@login_required
@campaign_view
def index(request):
    access.require_importer(request.user)
    campaign = _campaign(request)
    batches = (
        ImportBatch.objects.filter(campaign=campaign)
        .select_related("period", "uploaded_by")[:RECENT_BATCHES]
    )
    return render(request, "campaign/excel/index.html", {
        "campaign": campaign,
        "periods": campaign.periods.order_by("number"),
        "batches": batches,
        "form": UploadForm(),
        "max_upload_bytes": xlsx.max_upload_bytes(),
        "max_rows": xlsx.max_rows(),
    })


@login_required
@campaign_view
def template_targets(request):
    access.require_importer(request.user)
    campaign = _campaign(request)
    data = exports.template_build(kind=xlsx.TARGETS, campaign=campaign)
    return _xlsx(data, xlsx.template_filename(xlsx.TARGETS, campaign))


@login_required
@campaign_view
def template_results(request, number: int):
    access.require_importer(request.user)
    campaign = _campaign(request)
    period = _period(campaign, number)
    data = exports.template_build(kind=xlsx.RESULTS, campaign=campaign, period=period)
    return _xlsx(data, xlsx.template_filename(xlsx.RESULTS, campaign, period))


def _upload(request, kind: str, period: Period | None):
    access.require_importer(request.user)
    campaign = _campaign(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", ["Hãy chọn một tệp Excel (.xlsx) để tải lên."]):
            messages.error(request, error)
        return redirect("excel:index")
    upload = form.cleaned_data["file"]
    batch, preview = imports.import_upload(
        user=request.user, kind=kind, campaign=campaign, period=period, upload=upload,
        file_name=upload.name,
    )
    if not preview.ok:
        messages.error(request, f"Tệp «{batch.original_name}» bị từ chối: "
                                f"{xlsx.format_int(len(preview.errors))} lỗi. Chưa có gì được ghi.")
    return redirect("excel:preview", pk=batch.pk)


@login_required
@require_POST
@campaign_view
def upload_targets(request):
    return _upload(request, xlsx.TARGETS, None)


@login_required
@require_POST
@campaign_view
def upload_results(request, number: int):
    return _upload(request, xlsx.RESULTS, _period(_campaign(request), number))


@login_required
@batch_view
def preview(request, pk: int):
    access.require_importer(request.user)
    batch = get_object_or_404(
        ImportBatch.objects.select_related("campaign", "period", "uploaded_by"), pk=pk
    )
    result = imports.import_batch_preview(batch=batch)
    return render(request, "campaign/excel/preview.html", {
        "batch": batch,
        "preview": result,
        "can_confirm": batch.status == ImportBatch.Status.PREVIEW and result.ok,
        "can_cancel": batch.status == ImportBatch.Status.PREVIEW,
        "columns": xlsx.COLUMNS[batch.kind],
    })


@login_required
@batch_view
def batch_file(request, pk: int):
    """The uploaded file as it was kept, for audit (the admin's link points here)."""
    access.require_importer(request.user)  # 403 before saying whether the batch exists
    batch = get_object_or_404(ImportBatch, pk=pk)
    handle = imports.import_batch_file(user=request.user, batch=batch)
    return FileResponse(handle, as_attachment=True, filename=batch.original_name,
                        content_type=xlsx.XLSX_CONTENT_TYPE)


@login_required
@require_POST
@batch_view
def confirm(request, pk: int):
    access.require_importer(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        applied = imports.import_apply(
            batch=batch, user=request.user,
            warnings_accepted=request.POST.get("warnings_accepted") == "1",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("excel:preview", pk=batch.pk)
    except imports.ImportRefused as exc:
        messages.error(request, f"Không nhập được: {xlsx.format_int(len(exc.errors))} lỗi. "
                                "Chưa có gì được ghi.")
        return redirect("excel:preview", pk=batch.pk)
    messages.success(
        request,
        f"Đã nhập «{batch.original_name}»: {xlsx.format_int(applied.new_count)} mới, "
        f"{xlsx.format_int(applied.changed_count)} thay đổi, "
        f"{xlsx.format_int(applied.unchanged_count)} không đổi.",
    )
    return redirect("excel:preview", pk=batch.pk)


@login_required
@require_POST
@batch_view
def cancel(request, pk: int):
    access.require_importer(request.user)
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        imports.import_cancel(batch=batch, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("excel:preview", pk=batch.pk)
    messages.info(request, f"Đã hủy lần nhập «{batch.original_name}»: không có gì được ghi.")
    return redirect("excel:index")


@login_required
@campaign_view
def export_targets(request):
    access.require_importer(request.user)
    campaign = _campaign(request)
    return _xlsx(exports.targets_export(campaign=campaign),
                 xlsx.export_filename(xlsx.TARGETS, campaign))


@login_required
@campaign_view
def export_reports(request, number: int):
    access.require_importer(request.user)
    campaign = _campaign(request)
    period = _period(campaign, number)
    return _xlsx(exports.reports_export(period=period),
                 xlsx.export_filename(xlsx.RESULTS, campaign, period))
