"""The openpyxl edge of the awards app: the award list of a dossier and the campaign summary.

Plain data in (the dicts and dataclasses of `awards.documents` and `awards.selectors`), bytes out. Amounts are
whole đồng written as integers with a thousands format, so a spreadsheet can add them up.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from campaign.xlsx import safe_cell

from .words import amount_in_words, yes_no

MONEY_FORMAT = "#,##0"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(workbook: Workbook, title: str, first: bool = False):
    if first:
        sheet = workbook.active
        sheet.title = title
        return sheet
    return workbook.create_sheet(title)


def _table(sheet, start_row: int, headers: list[str], rows: list[list], widths: list[int],
           money_columns: tuple[int, ...] = ()) -> int:
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=col, value=header)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            cell = safe_cell(sheet, r, col, value)
            cell.alignment = WRAP
            if col in money_columns:
                cell.number_format = MONEY_FORMAT
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    return start_row + len(rows) + 1


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def award_list_workbook(context: dict) -> bytes:
    """Collectives and individuals of a dossier, with the prize, the amount and the total."""
    dossier = context["dossier"]
    period = context["period"]
    workbook = Workbook()
    sheet = _sheet(workbook, "Danh sách khen thưởng", first=True)
    organisation = context["organisation"]
    if dossier.is_decided:
        # What was decided, and by which decision, as the decision's annex says it.
        sheet["A1"] = f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐÃ QUYẾT ĐỊNH KHEN THƯỞNG – {period.name.upper()}"
        signer = " ".join(part for part in (organisation.head_title, organisation.name) if part)
        sheet["A2"] = (f"Kèm theo Quyết định số {dossier.decision_number} ngày {dossier.decision_date:%d/%m/%Y}"
                       + (f" của {signer}" if signer else "")
                       + f". Trạng thái hồ sơ: {dossier.get_state_display()}.")
    else:
        sheet["A1"] = f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC ĐỀ NGHỊ KHEN THƯỞNG – {period.name.upper()}"
        sheet["A2"] = f"Trạng thái hồ sơ: {dossier.get_state_display()} (DỰ THẢO, chưa có quyết định)."
    sheet["A1"].font = BOLD
    sheet["A4"] = "I. TẬP THỂ"
    sheet["A4"].font = BOLD
    row = _table(
        sheet, 5, ["TT", "Mã đơn vị", "Tên tập thể", "Giải", "Số tiền (đồng)"],
        [[n, line.unit.code, line.unit.name, line.prize_name, line.amount]
         for n, line in enumerate(context["lines"], start=1)],
        [6, 12, 45, 12, 18], money_columns=(5,),
    )
    sheet.cell(row=row, column=3, value="Cộng").font = BOLD
    cell = sheet.cell(row=row, column=5, value=context["collective_total"])
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    row += 2
    sheet.cell(row=row, column=1, value="II. CÁ NHÂN").font = BOLD
    row = _table(
        sheet, row + 1,
        ["TT", "Họ và tên", "Chức vụ", "Đơn vị", "Giải của tập thể", "Sáng kiến", "Thành tích", "Số tiền (đồng)"],
        [[r.number, r.individual.person.full_name, r.individual.person.title, r.line.unit.name,
          r.line.prize_name, yes_no(r.individual.has_initiative), r.individual.achievement,
          r.individual.amount]
         for r in context["individuals"]],
        [6, 28, 22, 45, 14, 10, 50, 18], money_columns=(8,),
    )
    sheet.cell(row=row, column=2, value="Cộng").font = BOLD
    cell = sheet.cell(row=row, column=8, value=context["individual_total"])
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    row += 2
    sheet.cell(row=row, column=2, value="TỔNG CỘNG").font = BOLD
    cell = sheet.cell(row=row, column=8, value=context["total"])
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    sheet.cell(row=row + 1, column=2, value=f"Bằng chữ: {amount_in_words(context['total'])}")
    return _save(workbook)


def summary_workbook(summary) -> bytes:
    """Per unit and per person, the prizes of the campaign's approved dossiers."""
    workbook = Workbook()
    units = _sheet(workbook, "Tập thể", first=True)
    units["A1"] = f"TỔNG HỢP KHEN THƯỞNG – {summary.campaign.name.upper()}"
    units["A1"].font = BOLD
    # One column of counts per level of the ladder, in ladder order.
    n = len(summary.levels)
    row = _table(
        units, 3,
        ["Mã đơn vị", "Đơn vị", *(level.name for level in summary.levels),
         "Tiền thưởng tập thể (đồng)", "Số cá nhân", "Tiền thưởng cá nhân (đồng)", "Tổng (đồng)", "Các kỳ"],
        [[u.unit.code, u.unit.name, *(u.prizes[level.key] for level in summary.levels), u.amount,
          u.individuals, u.individual_amount, u.total, "; ".join(u.periods)]
         for u in summary.units],
        [12, 45, *([10] * n), 18, 10, 18, 18, 50], money_columns=(n + 3, n + 5, n + 6),
    )
    units.cell(row=row, column=2, value="Tổng cộng").font = BOLD
    cell = units.cell(row=row, column=n + 6, value=summary.total)
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    people = _sheet(workbook, "Cá nhân")
    _table(
        people, 1,
        ["Họ và tên", "Chức vụ", "Đơn vị", "Số lần được khen thưởng", "Có sáng kiến", "Tiền thưởng (đồng)", "Các kỳ"],
        [[p.person.full_name, p.person.title, p.person.unit.name, p.count, p.initiatives, p.amount,
          "; ".join(p.periods)]
         for p in summary.people],
        [28, 22, 45, 12, 12, 18, 40], money_columns=(6,),
    )
    return _save(workbook)
