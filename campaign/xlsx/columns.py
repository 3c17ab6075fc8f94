"""The Excel files' interface: the kinds of file, their columns and labels, and the sheet's
layout.

The header labels are a stable interface: people keep their own copies of the templates, and
the collection system's exports are mapped onto these labels. The reader finds the header row
by these labels, never by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

COUNT = "count"  # people: a whole number >= 0, stored in a PositiveIntegerField
MONEY = "money"  # đồng: a whole number >= 0, stored in a PositiveBigIntegerField
PERCENT = "percent"  # a percentage 0–100 with at most 2 decimals (DecimalField(5, 2))

# Database limits, so that an absurd figure is a row error, not an IntegrityError.
COUNT_MAX = 2_147_483_647
MONEY_MAX = 9_223_372_036_854_775_807
PERCENT_PLACES = Decimal("0.01")

CODE_LABEL = "Mã đơn vị"
NAME_LABEL = "Tên đơn vị"

TARGETS = "targets"
RESULTS = "results"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The participants counted at the campaign's baseline date (R1): the header carries the date.
BASELINE_WORDS = "ngày chốt"


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    kind: str
    width: int = 18
    dated: bool = False  # the written header ends with the campaign's baseline date

    def header(self, campaign) -> str:
        """The header cell a template of `campaign` gets: the label, and for a dated column
        the campaign's baseline date, "BHXH bắt buộc ngày chốt 31/12/…"."""
        baseline = getattr(campaign, "baseline_date", None)
        if self.dated and baseline is not None:
            return f"{self.label} {baseline:%d/%m/%Y}"
        return self.label


TARGET_COLUMNS: tuple[Column, ...] = (
    Column("mandatory_plan", "KH BHXH bắt buộc", COUNT, 16),
    Column("mandatory_base", f"BHXH bắt buộc {BASELINE_WORDS}", COUNT, 16, dated=True),
    Column("voluntary_plan", "KH BHXH tự nguyện", COUNT, 16),
    Column("voluntary_base", f"BHXH tự nguyện {BASELINE_WORDS}", COUNT, 16, dated=True),
    Column("health_plan", "KH BHYT", COUNT, 16),
    Column("health_base", f"BHYT {BASELINE_WORDS}", COUNT, 16, dated=True),
    Column("revenue_plan", "KH số thu (đồng)", MONEY, 22),
    Column("late_max", "Trần tỷ lệ chậm đóng (%)", PERCENT, 16),
    Column("late_interest_max", "Trần tỷ lệ chậm đóng phải tính lãi (%)", PERCENT, 18),
)

RESULT_COLUMNS: tuple[Column, ...] = (
    Column("mandatory_actual", "BHXH bắt buộc", COUNT, 15),
    Column("voluntary_actual", "BHXH tự nguyện", COUNT, 15),
    Column("health_actual", "BHYT", COUNT, 15),
    Column("mandatory_last_year", "BHXH bắt buộc cùng kỳ", COUNT, 15),
    Column("voluntary_last_year", "BHXH tự nguyện cùng kỳ", COUNT, 15),
    Column("health_last_year", "BHYT cùng kỳ", COUNT, 15),
    Column("revenue", "Số thu lũy kế (đồng)", MONEY, 22),
    Column("nonpublic_revenue", "Số thu khối DN, HTX, ngoài công lập (đồng)", MONEY, 22),
    Column("due", "Số phải thu (đồng)", MONEY, 22),
    Column("late", "Số tiền chậm đóng (đồng)", MONEY, 20),
    Column("late_interest", "Số tiền chậm đóng phải tính lãi (đồng)", MONEY, 20),
)

COLUMNS = {TARGETS: TARGET_COLUMNS, RESULTS: RESULT_COLUMNS}
KIND_LABELS = {TARGETS: "chỉ tiêu", RESULTS: "kết quả thực hiện"}

NUMBER_FORMATS = {COUNT: "#,##0", MONEY: "#,##0", PERCENT: "#,##0.00"}
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

# The title block sits above the header; the reader does not depend on its height.
TITLE_ROWS = 5
HEADER_ROW = TITLE_ROWS + 1
FIRST_DATA_ROW = HEADER_ROW + 1


MARKER_PREFIX = "thidua"

# Whitespace as cells hold it: spaces, tabs, line breaks and the no-break spaces.
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normalize_label(text) -> str:
    """Labels compare after Unicode NFC and whitespace folding: a label typed on a Mac (NFD)
    or with a line break inside the cell is still the same label."""
    if text is None:
        return ""
    return SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


# A date at the end of a header: "… 31/12/2030".
TRAILING_DATE = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{4}$")


def header_key(text) -> str:
    """What the reader matches a header cell on: the normalized label, with a trailing date
    standing for "ngày chốt". So "BHXH bắt buộc ngày chốt 31/12/…" (written from the campaign's
    baseline date), "BHXH bắt buộc ngày chốt" and the older "BHXH bắt buộc 31/12/…" of templates
    people kept all name the same column, while the results' "BHXH bắt buộc" stays another."""
    key = normalize_label(text)
    stem = TRAILING_DATE.sub("", key)
    if stem != key and not stem.endswith(BASELINE_WORDS):
        stem = f"{stem} {BASELINE_WORDS}"
    return stem


def label_for(kind: str, field_name: str) -> str:
    if field_name == "code":
        return CODE_LABEL
    if field_name == "name":
        return NAME_LABEL
    for column in COLUMNS[kind]:
        if column.field == field_name:
            return column.label
    return field_name


def marker(kind: str, campaign, period=None) -> str:
    """Written into the workbook's properties so the importer can warn about a wrong period."""
    parts = [MARKER_PREFIX, kind, campaign.code]
    if period is not None:
        parts.append(str(period.number))
    return ":".join(parts)

