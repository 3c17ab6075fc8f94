"""Excel imports of targets and results: parse → preview → apply, all rows or none.

The flow, in the browser:
1. `import_upload` checks the user, reads the file (size cap first), parses it and stores it
   in an ImportBatch: status "preview" when clean, "refused" with its errors otherwise. The
   file is kept either way, for audit.
2. `import_batch_preview` shows, per unit, what applying would do (`campaign.import_preview`): new / changed (old → new)
   / unchanged, or the errors.
3. `import_targets_apply` / `import_results_apply` re-read and re-validate the stored file
   (the period may have been locked, a unit closed, a report edited since the preview) and
   write every row or none, under one transaction.

The management commands use the same functions with `system=True`: whoever has a shell on
the server already holds every right, so the role check would protect nothing there; the
commands record the `--user` they are given, or no user.

Imported results are submitted reports (R9: "submitted before the roll-up"): submitted now,
by the importer, source "import", linked to their batch, each with a ReportEvent "imported"
naming the file. A row whose figures equal the stored, already submitted report is left
untouched, so re-importing a file does not move a unit's submission time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from . import xlsx
from .access import require_importer
from .import_preview import UNCHANGED, ImportPreview, ImportRefused, import_parse
from .lifecycle import campaign_require_writable
from .models import Campaign, ImportBatch, Period, Report, ReportEvent, Target
from .xlsx import RESULTS, TARGETS, CellError, WorkbookRefused

# --- access -----------------------------------------------------------------------------------

def _ensure_access(user, system: bool) -> None:
    # system=True is for the management commands only: shell access implies admin rights.
    if not system:
        require_importer(user)


# --- batches ------------------------------------------------------------------------------

def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refusing before reading it when it is over the cap."""
    limit = xlsx.max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise WorkbookRefused(
            f"Tệp quá lớn ({xlsx.format_int(size)} byte); giới hạn là {xlsx.format_int(limit)} byte."
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise WorkbookRefused(f"Tệp quá lớn; giới hạn là {xlsx.format_int(limit)} byte.")
    return data


def _batch_store(*, user, kind: str, campaign: Campaign, period: Period | None, data: bytes,
                 file_name: str, preview: ImportPreview) -> ImportBatch:
    digest = xlsx.sha256(data)
    batch = ImportBatch(
        campaign=campaign, period=period if kind == RESULTS else None, kind=kind,
        original_name=(file_name or "tep.xlsx")[:255], sha256=digest,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        row_count=preview.row_count,
        status=ImportBatch.Status.PREVIEW if preview.ok else ImportBatch.Status.REFUSED,
        errors=[e.as_dict() for e in preview.errors],
    )
    # The stored name is ours (short, ASCII, unique enough); the user's name is kept apart.
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    batch.file.save(f"{kind}-{stamp}-{digest[:12]}.xlsx", ContentFile(data), save=False)
    batch.save()
    return batch


def import_upload(*, user, kind: str, campaign: Campaign, period: Period | None = None,
                  upload, file_name: str = "", system: bool = False
                  ) -> tuple[ImportBatch, ImportPreview]:
    """Store an uploaded file as an ImportBatch (kept even when refused) and preview it."""
    _ensure_access(user, system)
    campaign_require_writable(campaign)
    file_name = file_name or getattr(upload, "name", "") or "tep.xlsx"
    try:
        data = upload if isinstance(upload, bytes) else read_upload(upload)
    except WorkbookRefused as exc:
        # Over the cap: the attempt is recorded, the content is not (we refused to read it).
        preview = ImportPreview(kind=kind, campaign=campaign, period=period, file_name=file_name,
                                errors=[CellError(exc.message)])
        return _batch_store(user=user, kind=kind, campaign=campaign, period=period, data=b"",
                            file_name=file_name, preview=preview), preview
    preview = import_parse(kind=kind, campaign=campaign, period=period, data=data,
                           file_name=file_name)
    batch = _batch_store(user=user, kind=kind, campaign=campaign, period=period, data=data,
                         file_name=file_name, preview=preview)
    return batch, preview


def _batch_data(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as handle:
        return handle.read(xlsx.max_upload_bytes() + 1)


def import_batch_preview(*, batch: ImportBatch) -> ImportPreview:
    """What applying the batch would do now. A refused or applied batch shows its record."""
    if batch.status != ImportBatch.Status.PREVIEW:
        preview = ImportPreview(kind=batch.kind, campaign=batch.campaign, period=batch.period,
                                file_name=batch.original_name, row_count=batch.row_count)
        preview.errors = [CellError.from_dict(e) for e in batch.errors or []]
        return preview
    return import_parse(kind=batch.kind, campaign=batch.campaign, period=batch.period,
                        data=_batch_data(batch), file_name=batch.original_name)


def _refuse(batch: ImportBatch, errors: list[CellError]) -> None:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.REFUSED, errors=[e.as_dict() for e in errors],
    )
    batch.status = ImportBatch.Status.REFUSED
    batch.errors = [e.as_dict() for e in errors]


WARNINGS_NOT_ACCEPTED = "Tệp có cảnh báo; hãy đánh dấu ô xác nhận đã kiểm tra rồi bấm Xác nhận nhập."


def _apply(*, batch: ImportBatch, user, kind: str, system: bool, write,
           warnings_accepted: bool) -> ImportPreview:
    _ensure_access(user, system)
    if batch.kind != kind:
        raise ValueError(f"Batch {batch.pk} is a {batch.kind} import, not {kind}.")
    campaign_require_writable(batch.campaign)
    actor = user if getattr(user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            # Lock the batch (one confirm wins a double click) and the period (a roll-up
            # cannot lock it between our check and our write).
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportBatch.Status.PREVIEW:
                raise _AlreadyDone(locked)
            period = None
            if kind == RESULTS:
                period = Period.objects.select_for_update().select_related("campaign").get(
                    pk=locked.period_id
                )
            preview = import_parse(kind=kind, campaign=locked.campaign, period=period,
                                   data=_batch_data(locked), file_name=locked.original_name)
            if not preview.ok:
                raise ImportRefused(preview.errors)
            if preview.warnings and not warnings_accepted:
                # Another period's template, say: not refused (the batch stays to confirm),
                # but not applied until someone says they checked.
                raise ValidationError(WARNINGS_NOT_ACCEPTED)
            now = timezone.now()
            write(preview=preview, batch=locked, actor=actor, now=now)
            locked.status = ImportBatch.Status.APPLIED
            locked.applied_at = now
            locked.row_count = preview.row_count
            locked.errors = []
            locked.save(update_fields=["status", "applied_at", "row_count", "errors"])
    except _AlreadyDone as done:
        label = done.batch.get_status_display().lower()
        raise ImportRefused([CellError(f"Lần nhập này đã ở trạng thái «{label}»; không áp dụng lại.")]) from None
    except ImportRefused as exc:
        # Outside the rolled-back transaction: the refusal itself is kept for audit.
        _refuse(batch, exc.errors)
        raise
    batch.refresh_from_db()
    return preview


class _AlreadyDone(Exception):
    def __init__(self, batch: ImportBatch):
        super().__init__(batch.status)
        self.batch = batch


def _write_targets(*, preview: ImportPreview, batch: ImportBatch, actor, now) -> None:
    current = {t.unit_id: t for t in Target.objects.select_for_update().filter(campaign=batch.campaign)}
    for line in preview.lines:
        if line.state == UNCHANGED:
            continue
        target = current.get(line.unit.pk) or Target(campaign=batch.campaign, unit=line.unit)
        for column in xlsx.TARGET_COLUMNS:
            setattr(target, column.field, line.values[column.field])
        target.updated_by = actor
        target.save()


def _write_reports(*, preview: ImportPreview, batch: ImportBatch, actor, now) -> None:
    """Every changed or new report of the file, in a few statements whatever its size: the
    reports through `Report.save_all` (save()'s effects in bulk: version, timestamps,
    history), then each report's "imported" event, in the file's order."""
    current = {r.unit_id: r for r in Report.objects.select_for_update().filter(period=batch.period_id)}
    note = f"Nhập từ tệp «{batch.original_name}» (lần nhập số {batch.pk})."
    written = []
    for line in preview.lines:
        if line.state == UNCHANGED:
            continue
        report = current.get(line.unit.pk) or Report(period_id=batch.period_id, unit=line.unit)
        for column in xlsx.RESULT_COLUMNS:
            setattr(report, column.field, line.values[column.field])
        report.status = Report.Status.SUBMITTED
        report.source = Report.Source.IMPORT
        report.import_batch = batch
        report.submitted_at = now
        report.submitted_by = actor
        report.updated_by = actor
        written.append(report)
    Report.save_all(written, batch_size=_BULK_BATCH)
    ReportEvent.objects.bulk_create(
        [ReportEvent(report=report, action=ReportEvent.Action.IMPORTED, actor=actor, note=note)
         for report in written],
        batch_size=_BULK_BATCH,
    )


_BULK_BATCH = 500


def import_targets_apply(*, batch: ImportBatch, user, system: bool = False,
                         warnings_accepted: bool = False) -> ImportPreview:
    """Write every target of a previewed batch, or none (re-validated now). A file with
    warnings is written only once they are accepted."""
    return _apply(batch=batch, user=user, kind=TARGETS, system=system, write=_write_targets,
                  warnings_accepted=warnings_accepted)


def import_results_apply(*, batch: ImportBatch, user, system: bool = False,
                         warnings_accepted: bool = False) -> ImportPreview:
    """Write every report of a previewed batch as submitted, or none (re-validated now). A
    file with warnings is written only once they are accepted."""
    return _apply(batch=batch, user=user, kind=RESULTS, system=system, write=_write_reports,
                  warnings_accepted=warnings_accepted)


def import_apply(*, batch: ImportBatch, user, system: bool = False,
                 warnings_accepted: bool = False) -> ImportPreview:
    apply = import_targets_apply if batch.kind == TARGETS else import_results_apply
    return apply(batch=batch, user=user, system=system, warnings_accepted=warnings_accepted)


def import_batch_file(*, user, batch: ImportBatch):
    """The spreadsheet kept for audit, opened for reading, for the compiler and administrators
    only (never a public media URL). Http404 when it is gone (a cancelled import drops it)."""
    require_importer(user)
    if not batch.file or not batch.file.storage.exists(batch.file.name):
        raise Http404("Tệp của lần nhập này không còn được lưu.")
    return batch.file.open("rb")


@transaction.atomic
def import_cancel(*, batch: ImportBatch, user) -> ImportBatch:
    """Drop a previewed batch that will not be confirmed (the preview's Hủy): kept for the
    record as cancelled, its file removed."""
    require_importer(user)
    campaign_require_writable(batch.campaign)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(f"Lần nhập này đã ở trạng thái «{locked.get_status_display().lower()}».")
    locked.status = ImportBatch.Status.CANCELLED
    locked.save(update_fields=["status"])
    transaction.on_commit(lambda: locked.file.delete(save=False))
    return locked
