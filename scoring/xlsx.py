"""Standings as a formatted .xlsx (openpyxl kept at the edge)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaign.xlsx import safe_cell
from rules.engine import SCHEME_LABELS, SCHEMES
from units.models import Organisation

from .templatetags.scoring_tags import REPORT_LABELS, shown_scheme_rate

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _pct(text: str | None):
    return Decimal(text) if text is not None else None


def percent_format(places: int) -> str:
    """Excel's number format for a percentage with `places` decimals ("0.0" for one); Excel
    shows it with the reader's own separators (a comma in a Vietnamese Excel)."""
    return "0." + "0" * places if places > 0 else "0"


def _tick(ok: bool | None) -> str:
    if ok is None:  # a draft the reader may not see (scoring.selectors)
        return "–"
    return "Đạt" if ok else "Không đạt"


def standings_columns() -> list[tuple[str, int]]:
    return (
        [("Hạng", 6), ("Mã đơn vị", 10), ("Tên đơn vị", 34), ("Báo cáo", 14)]
        + [(f"Tỷ lệ phát triển {SCHEME_LABELS[s]} (%)", 16) for s in SCHEMES]
        + [("Tỷ lệ phát triển chung (%)", 14), ("So với cùng kỳ (%)", 14), ("Tỷ lệ thu (%)", 12),
           ("Tỷ trọng ngoài công lập (%)", 14), ("Tỷ lệ chậm đóng (%)", 12),
           ("Tỷ lệ chậm đóng tính lãi (%)", 14), ("C1 người tham gia", 12), ("C2 số thu", 12),
           ("C3 chậm đóng", 12), ("Giải thích", 70)]
    )


def standing_cells(row: dict, document: dict) -> list:
    rates = {s["scheme"]: s for s in row.get("schemes", [])}
    metrics = row["metrics"] | row.get("shown", {})  # extra places where rounding would mislead
    return (
        [row["rank"], row["unit"], row.get("name", ""), REPORT_LABELS.get(row["report"], row["report"])]
        + [shown_scheme_rate(rates[s], document) if s in rates and rates[s]["applicable"] else None
           for s in SCHEMES]
        + [_pct(metrics[k]) for k in ("participant_rate", "yoy_ratio", "revenue_rate",
                                       "nonpublic_share", "late_ratio", "late_interest_ratio")]
        + [_tick(row["criteria"][k]) for k in ("participants", "revenue", "late")]
        + [row["explanation"]]
    )


def export_standings(document: dict, *, title: str, subtitle: str, rows: list[dict] | None = None,
                     organisation: Organisation | None = None) -> bytes:
    """The standings of a document then the province, or exactly the `rows` given (a filtered
    list, which has the province row only if it was chosen). Headed by the office's name when
    `organisation` is given (and saved); nothing here queries the database."""
    named = organisation is not None and organisation.pk is not None
    workbook = Workbook()
    workbook.properties.creator = f"Thi đua {organisation.short_name}" if named else "Thi đua"
    sheet = workbook.active
    sheet.title = "Xếp hạng"
    sheet["A1"] = organisation.name.upper() if named else ""
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = title
    sheet["A2"].font = Font(bold=True, size=13)
    sheet["A3"] = subtitle
    columns = standings_columns()
    header_row = 5
    for index, (label, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)
    province = document.get("province")
    if rows is None:
        rows = [*document["standings"], *([province] if province else [])]
    body = [
        row | {"rank": None, "name": f"{row.get('name', '')} (toàn tỉnh)"}
        if row.get("kind") == "department" else row
        for row in rows
    ]
    for offset, row in enumerate(body, start=1):
        for index, value in enumerate(standing_cells(row, document), start=1):
            cell = safe_cell(sheet, header_row + offset, index, value)
            if isinstance(value, Decimal):
                # The campaign's places, or the more a missed rate needs (see shown_scheme_rate).
                cell.number_format = percent_format(-value.as_tuple().exponent)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
