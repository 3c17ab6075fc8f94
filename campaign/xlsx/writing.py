"""Writing the templates and exports: model instances come in (for titles and values),
workbook bytes come out. Nothing here queries the database."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import (
    CODE_LABEL,
    COLUMNS,
    COUNT,
    COUNT_MAX,
    DATETIME_FORMAT,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MONEY,
    NAME_LABEL,
    NUMBER_FORMATS,
    PERCENT,
    RESULT_COLUMNS,
    RESULTS,
    TARGET_COLUMNS,
    TARGETS,
    marker,
)

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _office_line(organisation) -> str:
    """The office's name in capitals, as the first line of an official heading; blank before
    the office has been entered."""
    if organisation is None or organisation.pk is None:
        return ""
    return organisation.name.upper()


def _creator(organisation) -> str:
    if organisation is None or organisation.pk is None:
        return "Thi đua"
    return f"Thi đua {organisation.short_name}"


def _title_lines(kind: str, campaign, period, organisation, *, export: bool) -> list[str]:
    what = "CHỈ TIÊU GIAO" if kind == TARGETS else "KẾT QUẢ THỰC HIỆN"
    heading = f"{what} – {campaign.name}".upper() if export else f"MẪU NHẬP {what} – {campaign.name}"
    lines = [_office_line(organisation), heading]
    if period is None:
        lines.append(f"Phong trào: {campaign.name} (mã {campaign.code}), năm {campaign.year}.")
    else:
        lines.append(
            f"Phong trào: {campaign.name} (mã {campaign.code}). {period.name}: từ "
            f"{_date(period.first_day)} đến {_date(period.last_day)}; số liệu lũy kế đến hết "
            f"ngày {_date(period.last_day)}."
        )
    if export:
        stamp = timezone.localtime().strftime("%H:%M ngày %d/%m/%Y")
        lines.append(f"Xuất lúc {stamp}.")
    else:
        lines.append(f"{fill_note(kind)} Không sửa dòng tiêu đề và cột mã đơn vị. Dòng để trống "
                     "toàn bộ số liệu sẽ được bỏ qua; dòng điền dở là lỗi.")
    return lines


FILL_NOTES = {
    COUNT: "số người là số nguyên không âm",
    MONEY: "số tiền là số nguyên không âm, đơn vị đồng",
    PERCENT: "tỷ lệ (%) từ 0 đến 100, ví dụ 12,5",
}


def fill_note(kind: str) -> str:
    """How to fill the template's columns, naming only the kinds of value it has (the results
    have no percentage column)."""
    kinds = dict.fromkeys(column.kind for column in COLUMNS[kind])
    note = "; ".join(FILL_NOTES[k] for k in kinds)
    return f"Điền {note}."


def _sheet_title(kind: str, period) -> str:
    if kind == TARGETS:
        return "Chỉ tiêu"
    return f"Kết quả kỳ {period.number}"


def _new_sheet(kind: str, campaign, period, extra: Iterable[tuple[str, int]], organisation, *,
               export: bool):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(kind, period)
    workbook.properties.identifier = marker(kind, campaign, period)
    lines = _title_lines(kind, campaign, period, organisation, export=export)
    workbook.properties.title = lines[1]
    workbook.properties.creator = _creator(organisation)

    for index, text in enumerate(lines, start=1):
        cell = sheet.cell(row=index, column=1, value=text)
        cell.font = Font(bold=index <= 2, size=13 if index == 2 else 11, italic=index > 2)

    headers = [(CODE_LABEL, 12), (NAME_LABEL, 34)]
    headers += [(c.header(campaign), c.width) for c in COLUMNS[kind]]
    headers += list(extra)
    for index, (label, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 48
    # Frozen: the header stays visible while scrolling down, code and name while scrolling right.
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3).coordinate
    return workbook, sheet


def safe_cell(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)` for what users typed (names, reasons, achievements):
    text that starts with "=" stays text. openpyxl would store it as a formula, which Excel
    runs when the file is opened (formula injection: =HYPERLINK(...) can send the sheet's
    contents away). No export of ours writes a formula on purpose."""
    cell = sheet.cell(row=row, column=column, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _write_unit_row(sheet, row: int, unit, kind: str, values: Mapping | None, *, shade: bool) -> None:
    code = safe_cell(sheet, row, 1, unit.code)
    name = safe_cell(sheet, row, 2, unit.name)
    for cell in (code, name):
        cell.border = _BORDER
        if shade:
            cell.fill = _LOCKED_FILL
    for offset, column in enumerate(COLUMNS[kind], start=3):
        value = values.get(column.field) if values else None
        cell = sheet.cell(row=row, column=offset, value=value)
        cell.number_format = NUMBER_FORMATS[column.kind]
        cell.border = _BORDER


def _add_validation(sheet, kind: str, first_row: int, last_row: int) -> None:
    if last_row < first_row:
        return
    rules = {
        COUNT: DataValidation(
            type="whole", operator="between", formula1="0", formula2=str(COUNT_MAX),
            errorTitle="Số liệu không hợp lệ", error="Phải là số nguyên không âm.",
            promptTitle="Số người", prompt="Số nguyên không âm.",
        ),
        # Excel's "whole number" rule is limited to 32-bit integers, and a province's revenue
        # in đồng is far larger: a custom rule checks "whole and not negative" instead.
        MONEY: None,
        PERCENT: DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100",
            errorTitle="Tỷ lệ không hợp lệ", error="Tỷ lệ phải từ 0 đến 100 (ví dụ 12,5).",
            promptTitle="Tỷ lệ (%)", prompt="Từ 0 đến 100, tối đa 2 chữ số thập phân.",
        ),
    }
    ranges: dict[str, list[str]] = {COUNT: [], PERCENT: []}
    for offset, column in enumerate(COLUMNS[kind], start=3):
        letter = get_column_letter(offset)
        cell_range = f"{letter}{first_row}:{letter}{last_row}"
        if column.kind == MONEY:
            top = f"{letter}{first_row}"
            rule = DataValidation(
                type="custom", formula1=f"AND(ISNUMBER({top}),{top}>=0,{top}=INT({top}))",
                errorTitle="Số tiền không hợp lệ", error="Số tiền phải là số nguyên không âm (đồng).",
                promptTitle="Số tiền (đồng)", prompt="Số nguyên không âm, đơn vị đồng.",
            )
            rule.showErrorMessage = True
            rule.showInputMessage = True
            rule.add(cell_range)
            sheet.add_data_validation(rule)
        else:
            ranges[column.kind].append(cell_range)
    for kind_name, cell_ranges in ranges.items():
        rule = rules[kind_name]
        if not cell_ranges or rule is None:
            continue
        rule.showErrorMessage = True
        rule.showInputMessage = True
        for cell_range in cell_ranges:
            rule.add(cell_range)
        sheet.add_data_validation(rule)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_template(kind: str, *, campaign, units: Iterable, period=None, organisation=None) -> bytes:
    """A blank template: one row per reporting unit, code and name filled, figures empty.
    `organisation` (units.models.Organisation) heads the sheet and signs the file."""
    if kind == RESULTS and period is None:
        raise ValueError("A results template needs a period.")
    workbook, sheet = _new_sheet(kind, campaign, period if kind == RESULTS else None, (),
                                 organisation, export=False)
    row = FIRST_DATA_ROW
    for unit in units:
        _write_unit_row(sheet, row, unit, kind, None, shade=True)
        row += 1
    _add_validation(sheet, kind, FIRST_DATA_ROW, row - 1)
    return _save(workbook)


def export_targets(*, campaign, rows: Iterable[tuple], organisation=None) -> bytes:
    """Targets of a campaign: (unit, Target or None) pairs. Same header as the template, so an
    export can be edited and imported back."""
    workbook, sheet = _new_sheet(TARGETS, campaign, None, [("Cập nhật lúc", 18)], organisation,
                                 export=True)
    row = FIRST_DATA_ROW
    extra_col = 3 + len(TARGET_COLUMNS)
    for unit, target in rows:
        values = {c.field: getattr(target, c.field) for c in TARGET_COLUMNS} if target else None
        _write_unit_row(sheet, row, unit, TARGETS, values, shade=False)
        if target is not None and target.updated_at:
            _write_datetime(sheet.cell(row=row, column=extra_col), target.updated_at)
        row += 1
    return _save(workbook)


REPORT_EXTRA_HEADERS = [("Trạng thái", 14), ("Nguồn", 14), ("Gửi lúc", 18), ("Người gửi", 20)]


def export_reports(*, period, rows: Iterable[tuple], organisation=None) -> bytes:
    """Reports of a period: (unit, Report or None) pairs; units without a report say so."""
    workbook, sheet = _new_sheet(RESULTS, period.campaign, period, REPORT_EXTRA_HEADERS,
                                 organisation, export=True)
    row = FIRST_DATA_ROW
    extra_col = 3 + len(RESULT_COLUMNS)
    for unit, report in rows:
        values = {c.field: getattr(report, c.field) for c in RESULT_COLUMNS} if report else None
        _write_unit_row(sheet, row, unit, RESULTS, values, shade=False)
        if report is None:
            sheet.cell(row=row, column=extra_col, value="Chưa có báo cáo")
        else:
            sheet.cell(row=row, column=extra_col, value=report.get_status_display())
            sheet.cell(row=row, column=extra_col + 1, value=report.get_source_display())
            if report.submitted_at:
                _write_datetime(sheet.cell(row=row, column=extra_col + 2), report.submitted_at)
            who = report.submitted_by
            if who is not None:
                safe_cell(sheet, row, extra_col + 3, who.get_full_name() or who.get_username())
        row += 1
    return _save(workbook)


def _write_datetime(cell, value: datetime) -> None:
    # Excel has no time zones: write the local wall-clock time the office reads.
    cell.value = timezone.localtime(value).replace(tzinfo=None)
    cell.number_format = DATETIME_FORMAT


def template_filename(kind: str, campaign, period=None) -> str:
    if kind == TARGETS:
        return f"mau-chi-tieu-{campaign.code}.xlsx"
    return f"mau-ket-qua-{campaign.code}-ky-{period.number}.xlsx"


def export_filename(kind: str, campaign, period=None) -> str:
    if kind == TARGETS:
        return f"chi-tieu-{campaign.code}.xlsx"
    return f"bao-cao-{campaign.code}-ky-{period.number}.xlsx"
