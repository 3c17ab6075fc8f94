"""The openpyxl edge of the awards app: the award list of a dossier and the campaign summary.

Plain data in (the dicts and dataclasses of `awards.documents` and `awards.summary`), bytes out. Amounts are
whole đồng written as integers with a thousands format, so a spreadsheet can add them up.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from campaign.xlsx import safe_cell
from scoring.templatetags.scoring_tags import REPORT_LABELS
from scoring.xlsx import percent_format

from .summary import RATES, budget_used_percent
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
           money_columns: tuple[int, ...] = (), percent_columns: tuple[int, ...] = (),
           wrap: bool = True) -> int:
    """Headers in bold, then the rows; amounts with a thousands format, rates (Decimals) with
    the places they carry. `wrap=False` for the long tables of figures: a style set on every
    cell is most of openpyxl's time at national scale, and short cells need no wrapping."""
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start_row, column=col, value=header)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            cell = safe_cell(sheet, r, col, value)
            if wrap:
                cell.alignment = WRAP
            if col in money_columns:
                cell.number_format = MONEY_FORMAT
            elif col in percent_columns and isinstance(value, Decimal):
                # The places the roll-up stored (scoring.xlsx shows them the same way).
                cell.number_format = percent_format(-value.as_tuple().exponent)
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


def _verdict(held: bool | None) -> str | None:
    return None if held is None else ("Đạt" if held else "Không đạt")


def _heading(sheet, organisation, title: str, lines: list[str]) -> int:
    """The office's name, the title and notes, from A1; the next free row."""
    named = organisation is not None and organisation.pk is not None
    sheet["A1"] = organisation.name.upper() if named else ""
    sheet["A1"].font = BOLD
    sheet["A2"] = title
    sheet["A2"].font = Font(bold=True, size=13)
    for offset, text in enumerate(lines, start=3):
        sheet.cell(row=offset, column=1, value=text).font = Font(italic=True)
    return 3 + len(lines) + 1


def _months_sheet(workbook, summary, organisation) -> None:
    sheet = _sheet(workbook, "Các tháng", first=True)
    campaign = summary.campaign
    as_of = f"; số liệu đến quyết định ngày {summary.as_of:%d/%m/%Y}" if summary.as_of else ""
    row = _heading(sheet, organisation, f"TỔNG KẾT – {campaign.name.upper()}", [
        f"Phong trào {campaign.name} (mã {campaign.code}){as_of}."
        + ("" if summary.complete else " Chưa có quyết định của mọi tháng: số liệu còn thay đổi."),
        "Xếp hạng và tiêu chí theo kết quả tổng hợp đã khóa sổ; tiền thưởng theo các quyết định đã ban hành.",
    ])
    rows = [
        [m.name, m.participant_threshold, m.revenue_threshold,
         m.ranked if m.rolled_up else None, len(m.standings) if m.rolled_up else None,
         m.province.verdict if m.province else None, m.status,
         *((len(m.lines), len(m.individuals), m.collective_amount, m.individual_amount, m.total)
           if m.decided else (None,) * 5)]
        for m in summary.months
    ]
    end = _table(
        sheet, row,
        ["Tháng", "Ngưỡng phát triển (%)", "Ngưỡng thu (%)", "BHXH cơ sở xếp hạng", "Số BHXH cơ sở",
         "Toàn tỉnh", "Khen thưởng", "Số tập thể", "Số cá nhân", "Tiền thưởng tập thể (đồng)",
         "Tiền thưởng cá nhân (đồng)", "Cộng (đồng)"],
        rows, [16, 12, 10, 12, 10, 22, 40, 10, 10, 18, 18, 18], money_columns=(10, 11, 12),
        percent_columns=(2, 3),
    )
    totals = [
        ("Tổng cộng đã quyết định", summary.total),
        ("Kinh phí khen thưởng của phong trào", summary.budget),
        ("Vượt kinh phí" if summary.remaining < 0 else "Còn lại", summary.remaining),
    ]
    for offset, (label, amount) in enumerate(totals):
        sheet.cell(row=end + offset, column=1, value=label).font = BOLD
        cell = sheet.cell(row=end + offset, column=12, value=amount)
        cell.number_format, cell.font = MONEY_FORMAT, BOLD
    sheet.cell(row=end, column=8, value=summary.collectives).font = BOLD
    sheet.cell(row=end, column=9, value=summary.individual_count).font = BOLD
    for column, amount in ((10, summary.collective_amount), (11, summary.individual_amount)):
        cell = sheet.cell(row=end, column=column, value=amount)
        cell.number_format, cell.font = MONEY_FORMAT, BOLD
    used = budget_used_percent(summary)
    sheet.cell(row=end + 3, column=1, value="Tỷ lệ kinh phí đã dùng (%)").font = BOLD
    cell = sheet.cell(row=end + 3, column=12, value=used)
    cell.number_format = percent_format(1)


def _records_sheet(workbook, summary) -> None:
    """One row per unit, five columns a month (rank, C1–C3, prize): the annual review's table."""
    sheet = _sheet(workbook, "Theo đơn vị")
    headers = ["Mã đơn vị", "Đơn vị"]
    for month in summary.months:
        headers += [f"{month.name}: hạng", f"{month.name}: C1", f"{month.name}: C2",
                    f"{month.name}: C3", f"{month.name}: giải"]
    headers += ["Số tháng xếp hạng", "Số giải"]
    rows = []
    for record in summary.records:
        cells = [record.code, f"Toàn tỉnh – {record.name}" if record.is_province else record.name]
        for s in record.months:
            if s is None:
                cells += [None] * 5
                continue
            cells += [s.rank if s.rank else s.verdict, *(_verdict(s.criteria[c]) for c in ("C1", "C2", "C3")),
                      s.prize or None]
        cells += [None if record.is_province else record.ranked_months, record.prize_count]
        rows.append(cells)
    _table(sheet, 1, headers, rows, [12, 40, *([12, 10, 10, 10, 14] * len(summary.months)), 12, 10],
           wrap=False)
    sheet.freeze_panes = "C2"


def _standings_sheet(workbook, summary) -> None:
    """Every month's stored standings, one row per unit and month, the province row last."""
    sheet = _sheet(workbook, "Kết quả từng tháng")
    rows = []
    for month in summary.months:
        listed = [*month.standings, *([month.province] if month.province else [])]
        for s in listed:
            province = s is month.province
            rows.append([
                month.name, "Tỉnh" if province else s.rank, s.code,
                f"{s.name} (toàn tỉnh)" if province else s.name, REPORT_LABELS.get(s.report, s.report),
                *(s.rates[key] for key in RATES), *(_verdict(s.criteria[c]) for c in ("C1", "C2", "C3")),
                s.prize or None, s.amount or None,
            ])
    _table(
        sheet, 1,
        ["Tháng", "Hạng", "Mã đơn vị", "Đơn vị", "Báo cáo", "Tỷ lệ phát triển chung (%)",
         "So với cùng kỳ (%)", "Tỷ lệ thu (%)", "Tỷ lệ chậm đóng (%)", "Tỷ lệ chậm đóng tính lãi (%)",
         "C1 người tham gia", "C2 số thu", "C3 chậm đóng", "Giải", "Tiền thưởng (đồng)"],
        rows, [14, 6, 10, 36, 14, 14, 12, 12, 12, 14, 12, 10, 12, 14, 16], money_columns=(15,),
        percent_columns=tuple(range(6, 11)), wrap=False,
    )
    sheet.freeze_panes = "E2"


def summary_workbook(summary, *, organisation=None) -> bytes:
    """The campaign summary (awards.summary): the months and the budget, each unit month by
    month, every month's standings, then the prizes per unit and per person."""
    workbook = Workbook()
    named = organisation is not None and organisation.pk is not None
    workbook.properties.creator = f"Thi đua {organisation.short_name}" if named else "Thi đua"
    workbook.properties.title = f"Tổng kết {summary.campaign.name}"
    _months_sheet(workbook, summary, organisation)
    _records_sheet(workbook, summary)
    _standings_sheet(workbook, summary)
    units = _sheet(workbook, "Tập thể")
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
    row = _table(
        people, 1,
        ["Họ và tên", "Chức vụ", "Đơn vị", "Số lần được khen thưởng", "Số lần có sáng kiến",
         "Tiền thưởng (đồng)", "Các kỳ"],
        [[p.person.full_name, p.person.title, p.person.unit.name, p.count, p.initiatives, p.amount,
          "; ".join(p.periods)]
         for p in summary.people],
        [28, 22, 45, 12, 12, 18, 40], money_columns=(6,),
    )
    people.cell(row=row, column=1, value="Tổng cộng").font = BOLD
    cell = people.cell(row=row, column=6, value=summary.individual_amount)
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    return _save(workbook)
