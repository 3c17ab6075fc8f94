"""What an uploaded file would do: each row read, checked against the rules of the figures
and the database as it is now, and compared with what is stored (new / changed / unchanged).
Nothing here writes; `campaign.imports` stores the file and applies what is shown here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from units.models import Unit

from . import xlsx
from .models import Campaign, Period, Report, Target
from .plausibility import period_reference
from .selectors import reporting_units
from .services import validate_report_figures, validate_target_figures
from .xlsx import RESULTS, TARGETS, CellError, WorkbookRefused

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
STATE_LABELS = {NEW: "Mới", CHANGED: "Thay đổi", UNCHANGED: "Không đổi"}

# A broken 5,000-row file could yield 60,000 messages; past this many, one line says how
# many more there are. The user fixes the first ones and sees the rest on the next upload.
MAX_ERRORS_SHOWN = 500


class ImportRefused(Exception):
    """The file cannot be applied; `errors` says why, each located in the sheet."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = errors


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object
    percent: bool = False


@dataclass(frozen=True)
class PreviewCell:
    """One figure of a preview line, with the stored value when it changes."""

    label: str
    value: object
    old: object
    changed: bool
    percent: bool
    warned: bool = False


@dataclass
class UnitLine:
    unit: Unit
    row: int
    state: str
    values: dict
    changes: list[FieldChange] = field(default_factory=list)
    kind: str = TARGETS
    warned_fields: frozenset = frozenset()  # figures a plausibility warning doubts

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def cells(self) -> list[PreviewCell]:
        changed = {c.field: c for c in self.changes}
        return [
            PreviewCell(
                label=column.label, value=self.values[column.field],
                old=changed[column.field].old if column.field in changed else None,
                changed=column.field in changed, percent=column.kind == xlsx.PERCENT,
                warned=column.field in self.warned_fields,
            )
            for column in xlsx.COLUMNS[self.kind]
        ]

    @property
    def status_change(self) -> FieldChange | None:
        return next((c for c in self.changes if c.field == "status"), None)


@dataclass
class ImportPreview:
    kind: str
    campaign: Campaign
    period: Period | None
    file_name: str = ""
    sheet: str = ""
    header_row: int | None = None
    lines: list[UnitLine] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Plausibility warnings (rules/plausibility.py), each at its row and column: never a
    # refusal, and no confirmation asked for them; the compiler acknowledges or has them
    # corrected before the roll-up, on the period's reports page.
    figure_warnings: list[CellError] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    missing_units: list[Unit] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def new_count(self) -> int:
        return self.count(NEW)

    @property
    def changed_count(self) -> int:
        return self.count(CHANGED)

    @property
    def unchanged_count(self) -> int:
        return self.count(UNCHANGED)

    def summary(self) -> str:
        kind = xlsx.KIND_LABELS[self.kind]
        count = xlsx.format_int
        if self.errors:
            return f"Tệp {kind}: {count(self.row_count)} dòng số liệu; {count(len(self.errors))} lỗi."
        return (
            f"Tệp {kind}: {count(self.row_count)} dòng số liệu; {count(self.new_count)} mới, "
            f"{count(self.changed_count)} thay đổi, {count(self.unchanged_count)} không đổi; "
            f"{count(len(self.skipped_rows))} dòng trống bỏ qua; {count(len(self.errors))} lỗi."
        )


def _columns(kind: str):
    return xlsx.COLUMNS[kind]


def _check_period(kind: str, campaign: Campaign, period: Period | None) -> list[CellError]:
    if kind == TARGETS:
        return []
    if period is None:
        raise ValueError("A results import needs a period.")
    if period.campaign_id != campaign.pk:
        raise ValueError("The period does not belong to the campaign.")
    if period.is_locked:
        return [CellError(
            f"{period.name} đã khóa sổ để tổng hợp; không thể nhập kết quả cho kỳ này."
        )]
    return []


def import_parse(*, kind: str, campaign: Campaign, period: Period | None = None,
                 data: bytes, file_name: str = "") -> ImportPreview:
    """Read a file and compare it with the database. Writes nothing.

    Every problem goes into `errors`: the file as a whole (type, size, header, locked period)
    or a cell (sheet, row, column, Vietnamese message).
    """
    if kind not in (TARGETS, RESULTS):
        raise ValueError(f"Unknown import kind {kind!r}.")
    preview = ImportPreview(kind=kind, campaign=campaign, period=period, file_name=file_name)
    preview.errors.extend(_check_period(kind, campaign, period))
    try:
        table = xlsx.read_table(data, kind)
    except WorkbookRefused as exc:
        preview.errors.append(CellError(exc.message, sheet=exc.sheet))
        return preview
    preview.sheet = table.sheet
    preview.header_row = table.header_row
    preview.skipped_rows = table.skipped_rows
    preview.row_count = len(table.rows)
    preview.errors.extend(table.errors)
    _check_marker(preview, table.marker)

    units = list(reporting_units())
    by_code = {u.code.casefold(): u for u in units}
    known = {
        u.code.casefold(): u for u in Unit.objects.filter(code__in=[r.code for r in table.rows if r.code])
    }
    existing = _existing(kind, campaign, period)
    reference = period_reference(period) if kind == RESULTS else None

    seen: dict[int, int] = {}  # unit id → first row
    errors: list[CellError] = []
    for row in table.rows:
        if not row.code:
            continue  # already reported by the reader
        unit = by_code.get(row.code.casefold())
        if unit is None:
            if row.code.casefold() in known:
                message = (
                    f"Đơn vị «{row.code}» không phải đơn vị báo cáo số liệu (chỉ BHXH cơ sở "
                    "đang hoạt động và Phòng Quản lý thu)."
                )
            else:
                message = f"Mã đơn vị «{row.code}» không có trong danh mục đơn vị."
            errors.append(table.error(message, row=row.row, field_name="code"))
            continue
        if unit.pk in seen:
            errors.append(table.error(
                f"Mã đơn vị «{row.code}» bị trùng: đã có ở dòng {seen[unit.pk]}.",
                row=row.row, field_name="code",
            ))
            continue
        seen[unit.pk] = row.row
        if row.has_errors:
            continue
        cross = (validate_target_figures if kind == TARGETS else validate_report_figures)(row.values)
        if cross:
            for field_name, message in cross.items():
                errors.append(table.error(message, row=row.row, field_name=field_name))
            continue
        line = _line(kind, unit, row, existing.get(unit.pk))
        if reference is not None:
            doubts = reference.warnings(unit, row.values)
            line.warned_fields = frozenset(w.field for w in doubts)
            preview.figure_warnings.extend(
                CellError(message=f"{row.code}: {w.message}", sheet=table.sheet, row=row.row,
                          column=table.columns.get(w.field, ""), header=xlsx.label_for(kind, w.field))
                for w in doubts
            )
        preview.lines.append(line)
    preview.errors.extend(errors)
    preview.missing_units = [u for u in units if u.pk not in seen]
    if preview.ok and not preview.lines:
        preview.errors.append(CellError(
            "Tệp không có dòng số liệu nào: mọi dòng đều trống.", sheet=table.sheet,
        ))
    # In sheet order, as the user will walk through the file; whole-file errors first.
    preview.errors.sort(key=lambda e: (e.row or 0, len(e.column), e.column))
    _cap_errors(preview)
    return preview


def _check_marker(preview: ImportPreview, marker: str) -> None:
    # Templates carry the campaign and period they were made for. Another period's file is
    # most likely a mistake, but a unit may reuse last month's file on purpose: warn only.
    if not marker.startswith(f"{xlsx.MARKER_PREFIX}:"):
        return
    expected = xlsx.marker(preview.kind, preview.campaign, preview.period)
    if marker != expected:
        parts = marker.split(":")
        described = f"phong trào {parts[2]}" if len(parts) > 2 else marker
        if len(parts) > 3:
            described += f", kỳ {parts[3]}"
        preview.warnings.append(
            f"Tệp này được tạo từ mẫu của {described}; hãy chắc chắn số liệu đúng là của "
            + (f"{preview.period.name}." if preview.period else "phong trào đang nhập.")
        )


def _cap_errors(preview: ImportPreview) -> None:
    extra = len(preview.errors) - MAX_ERRORS_SHOWN
    if extra > 0:
        preview.errors = preview.errors[:MAX_ERRORS_SHOWN] + [
            CellError(f"… và {xlsx.format_int(extra)} lỗi khác (sửa các lỗi trên rồi tải lại tệp).")
        ]


def _existing(kind: str, campaign: Campaign, period: Period | None) -> dict:
    if kind == TARGETS:
        return {t.unit_id: t for t in Target.objects.filter(campaign=campaign)}
    return {r.unit_id: r for r in Report.objects.filter(period=period)}


def _line(kind: str, unit: Unit, row: xlsx.SheetRow, current) -> UnitLine:
    values = dict(row.values)
    if current is None:
        return UnitLine(unit=unit, row=row.row, state=NEW, values=values, kind=kind)
    changes = []
    for column in _columns(kind):
        old = getattr(current, column.field)
        new = values[column.field]
        if Decimal(old) != Decimal(new):
            changes.append(FieldChange(column.field, column.label, old, new,
                                       percent=column.kind == xlsx.PERCENT))
    if kind == RESULTS and not current.is_submitted:
        # Same figures, but the import submits the draft: that is a change the user must see.
        changes.append(FieldChange(
            "status", "Trạng thái", current.get_status_display(), Report.Status.SUBMITTED.label
        ))
    return UnitLine(unit=unit, row=row.row, state=CHANGED if changes else UNCHANGED,
                    values=values, changes=changes, kind=kind)
