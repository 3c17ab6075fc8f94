"""Standings as a formatted .xlsx (openpyxl kept at the edge)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaign.xlsx import safe_cell
from rules import explain
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
           ("C3 chậm đóng", 12), ("Số thu (đồng)", 20), ("Xét tiếp khi tương đương", 34),
           ("Giải thích", 70)]
    )


def _key_text(row: dict) -> str | None:
    """The tie-break values of a ranked row, as the page shows them (scoring.selectors
    ranking_key): "Tỷ lệ so với cùng kỳ 101,2 %; Tỷ lệ số thu 92,1 %"."""
    steps = row.get("key") or []
    return "; ".join(f"{step['label']} {step['text']}" for step in steps) or None


def _like_for_like_row(row: dict) -> dict:
    """The province row while its totals lack reports: the rates over the submitted units'
    own targets in place of the totals' (rules.province), so no cell reads as the province's
    rate; the name says so."""
    coverage = row["coverage"]
    like = coverage.get("like_for_like") or {}
    schemes = {entry["scheme"]: entry for entry in like.get("schemes", [])}
    return row | {
        "name": (f"{row.get('name', '')} (toàn tỉnh – chưa đủ báo cáo: {coverage['text']}; "
                 f"các tỷ lệ phát triển và tỷ lệ thu là {explain.LIKE_FOR_LIKE})"),
        "schemes": [
            {"scheme": key, "applicable": bool(schemes.get(key, {}).get("applicable")),
             "rate": schemes.get(key, {}).get("rate")}
            for key in SCHEMES
        ],
        "metrics": row["metrics"] | {"participant_rate": like.get("participant_rate"),
                                     "revenue_rate": like.get("revenue_rate")},
        "shown": {k: v for k, v in row.get("shown", {}).items() if k != "revenue_rate"},
        "like_for_like": True,
    }


def standing_cells(row: dict, document: dict) -> list:
    rates = {s["scheme"]: s for s in row.get("schemes", [])}
    metrics = row["metrics"] | row.get("shown", {})  # extra places where rounding would mislead
    return (
        [row["rank"], row["unit"], row.get("name", ""), REPORT_LABELS.get(row["report"], row["report"])]
        + [_scheme_cell(rates.get(s), document, row) for s in SCHEMES]
        + [_pct(metrics[k]) for k in ("participant_rate", "yoy_ratio", "revenue_rate",
                                       "nonpublic_share", "late_ratio", "late_interest_ratio")]
        + [_tick(row["criteria"][k]) for k in ("participants", "revenue", "late")]
        + [row.get("revenue"), _key_text(row), row["explanation"]]
    )


def _scheme_cell(entry: dict | None, document: dict, row: dict):
    if entry is None or not entry["applicable"]:
        return None
    if row.get("like_for_like"):
        return _pct(entry["rate"])
    return shown_scheme_rate(entry, document)


def _province_row(row: dict) -> dict:
    coverage = row.get("coverage")
    if coverage and not coverage["complete"]:
        return _like_for_like_row(row) | {"rank": None}
    return row | {"rank": None, "name": f"{row.get('name', '')} (toàn tỉnh)"}


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
    body = [_province_row(row) if row.get("kind") == "department" else row for row in rows]
    short = next((row["coverage"] for row in rows if row.get("kind") == "department"
                  and row.get("coverage") and not row["coverage"]["complete"]), None)
    if short is not None:
        sheet["A4"] = (f"Tổng toàn tỉnh chưa đủ báo cáo: {short['text']}. Dòng toàn tỉnh ghi "
                       f"{explain.LIKE_FOR_LIKE}, không phải tỷ lệ toàn tỉnh; "
                       f"{explain.MISSING_COUNTS_AS_NOTHING}.")
    for offset, row in enumerate(body, start=1):
        for index, value in enumerate(standing_cells(row, document), start=1):
            cell = safe_cell(sheet, header_row + offset, index, value)
            if isinstance(value, Decimal):
                # The campaign's places, or the more a missed rate needs (see shown_scheme_rate).
                cell.number_format = percent_format(-value.as_tuple().exponent)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
