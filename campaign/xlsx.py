"""The openpyxl edge: build the templates and exports, and read an uploaded workbook safely.

Nothing here touches the database. Model instances come in (for titles and values) and
plain data comes out: `read_table` turns bytes into a `SheetTable` of parsed rows and
cell-level errors; the import service (`campaign.imports`) decides what the rows mean.

The header labels below are a stable interface (issue 4): people keep their own copies of
the templates, and the collection system's exports are mapped onto these labels. The reader
finds the header row by these labels, never by position.

Hostile files are stopped before openpyxl parses any XML: a size cap, magic bytes (so that
.xls, .csv and a renamed PDF get a message of their own), and the zip directory's declared
sizes (a zip bomb). Python's zipfile never inflates an entry beyond its declared size (it
truncates and fails the CRC check), so checking the declared sizes bounds the real work.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from openpyxl import DEFUSEDXML, Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from rules.formatting import format_number

# --- the interface: column labels ---------------------------------------------------------

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


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    kind: str
    width: int = 18


TARGET_COLUMNS: tuple[Column, ...] = (
    Column("mandatory_plan", "KH BHXH bắt buộc", COUNT, 16),
    Column("mandatory_base", "BHXH bắt buộc 31/12/2024", COUNT, 16),
    Column("voluntary_plan", "KH BHXH tự nguyện", COUNT, 16),
    Column("voluntary_base", "BHXH tự nguyện 31/12/2024", COUNT, 16),
    Column("health_plan", "KH BHYT", COUNT, 16),
    Column("health_base", "BHYT 31/12/2024", COUNT, 16),
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

# How far down and across the reader looks for the header row.
HEADER_SCAN_ROWS = 30
HEADER_SCAN_COLUMNS = 200

MARKER_PREFIX = "thidua"

MAGIC_ZIP = b"PK\x03\x04"
MAGIC_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003), .doc
MAGIC_PDF = b"%PDF"


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_upload_bytes() -> int:
    return setting("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return setting("IMPORT_MAX_ROWS", 5_000)


def max_uncompressed_bytes() -> int:
    # A real 5 MB workbook inflates to a few tens of MB at most; the parse time of what we
    # let through is bounded by this number.
    return setting("IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)


def max_compression_ratio() -> int:
    # Spreadsheet XML compresses 5–30×; deflate cannot exceed ~1030×; bombs sit near the top.
    return setting("IMPORT_MAX_COMPRESSION_RATIO", 100)


# Small entries may compress extremely well (a sheet of empty styled rows) and are harmless.
RATIO_CHECK_FLOOR = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000


def format_int(value: int) -> str:
    """1234567 → "1.234.567", for messages (rules.formatting)."""
    return format_number(value)


# --- errors -------------------------------------------------------------------------------

class WorkbookRefused(Exception):
    """The file as a whole cannot be read; the message is for the user, in Vietnamese."""

    def __init__(self, message: str, *, sheet: str = ""):
        super().__init__(message)
        self.message = message
        self.sheet = sheet


@dataclass(frozen=True)
class CellError:
    """One problem, located so a person can find it: sheet, row, column letter and label."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "header": self.header, "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> CellError:
        return cls(
            message=str(data.get("message", "")), sheet=str(data.get("sheet", "")),
            row=data.get("row"), column=str(data.get("column", "")),
            header=str(data.get("header", "")),
        )

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"trang tính «{self.sheet}»")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location
        return f"{location[:1].upper()}{location[1:]}: {self.message}" if location else self.message


# --- cell parsing ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# ASCII digits only: Python's \d and Decimal() also take other scripts' digits (١٢٣, full-width
# １２３), which no office types and a form would show back as something else.
_PLAIN = re.compile(r"[0-9]+")
_GROUPED_DOT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_GROUPED_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


class CellValueError(ValueError):
    """A cell that cannot become the number its column needs; the message is Vietnamese."""


def _text_to_decimal(text: str, kind: str) -> Decimal:
    """A number typed as text, the way offices type it: "1.234.567", "1,234,567", "12,5".

    Vietnamese writes "." between thousands and "," before decimals; software exported in
    English does the opposite. When both appear, the last one is the decimal mark. A single
    mark followed by exactly three digits is a thousands separator in a count or an amount
    (nobody types 1,234 people meaning one point two), but a decimal mark in a percentage
    (which is at most 100).
    """
    body = _SPACES.sub("", text)
    negative = body[:1] in ("-", "\u2212")
    if body[:1] in ("-", "+", "\u2212"):
        body = body[1:]
    if kind == PERCENT and body.endswith("%"):
        body = body[:-1]
    if not body or not re.fullmatch(r"[0-9.,]+", body) or body[0] not in "0123456789":
        raise CellValueError("Không phải là số.")

    if _PLAIN.fullmatch(body):
        number = body
    elif "." in body and "," in body:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _, fraction = body.rpartition(decimal_mark)
        grouped = _GROUPED_DOT if group_mark == "." else _GROUPED_COMMA
        if not (grouped.fullmatch(whole) or _PLAIN.fullmatch(whole)) or not _PLAIN.fullmatch(fraction):
            raise CellValueError("Không phải là số (dấu phân cách hàng nghìn không đúng).")
        number = f"{whole.replace(group_mark, '')}.{fraction}"
    else:
        mark = "." if "." in body else ","
        if body.count(mark) > 1:
            grouped = _GROUPED_DOT if mark == "." else _GROUPED_COMMA
            if not grouped.fullmatch(body):
                raise CellValueError("Không phải là số (dấu phân cách hàng nghìn không đúng).")
            number = body.replace(mark, "")
        else:
            whole, _, fraction = body.partition(mark)
            if not whole or not fraction:
                raise CellValueError("Không phải là số.")
            if kind != PERCENT and len(fraction) == 3:
                number = whole + fraction
            else:
                number = f"{whole}.{fraction}"
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the regexes above already ensure it
        raise CellValueError("Không phải là số.") from exc
    return -value if negative else value


def parse_cell(value, kind: str, number_format: str | None = None) -> int | Decimal | None:
    """The number a cell holds, as an int (people, đồng) or a Decimal (percent); None if empty.

    Floats from Excel are converted through their shortest decimal text, never computed
    with: 1234567.0 becomes 1234567 exactly, 12.5 becomes Decimal("12.5").
    """
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        number = _text_to_decimal(value, kind)
    elif isinstance(value, bool):
        raise CellValueError("Không phải là số (ô chứa giá trị đúng/sai).")
    elif isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError("Không phải là số.")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():  # a Decimal NaN or infinity from a direct caller
            raise CellValueError("Không phải là số.")
        if kind == PERCENT and number_format and "%" in number_format:
            # A cell formatted as a percentage stores 12,5 % as 0.125.
            number *= 100
    elif isinstance(value, datetime | date | time):
        raise CellValueError("Không phải là số (ô đang chứa ngày tháng).")
    else:
        raise CellValueError("Không phải là số.")

    if number < 0:
        if kind == PERCENT:
            raise CellValueError("Tỷ lệ phải từ 0 đến 100.")
        raise CellValueError("Không được là số âm.")
    if kind == PERCENT:
        if number > 100:
            raise CellValueError("Tỷ lệ phải từ 0 đến 100.")
        if number != number.quantize(PERCENT_PLACES):
            raise CellValueError("Tỷ lệ chỉ được có tối đa 2 chữ số thập phân.")
        return number.quantize(PERCENT_PLACES)
    if number != number.to_integral_value():
        raise CellValueError("Phải là số nguyên.")
    limit = COUNT_MAX if kind == COUNT else MONEY_MAX
    if number > limit:
        raise CellValueError(f"Số quá lớn (tối đa {format_int(limit)}).")
    return int(number)


def parse_code(value) -> str:
    """A unit code cell: text as typed; a number typed into it loses nothing but its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalize_label(text) -> str:
    """Labels compare after Unicode NFC and whitespace folding: a label typed on a Mac (NFD)
    or with a line break inside the cell is still the same label."""
    if text is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


# --- reading --------------------------------------------------------------------------------

@dataclass
class SheetRow:
    row: int
    code: str
    name: str
    values: dict[str, int | Decimal]
    has_errors: bool = False


@dataclass
class SheetTable:
    kind: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # field (and "code", "name") → column letter
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    marker: str = ""

    def error(self, message: str, *, row: int | None = None, field_name: str = "") -> CellError:
        header = label_for(self.kind, field_name) if field_name else ""
        error = CellError(
            message=message, sheet=self.sheet, row=row,
            column=self.columns.get(field_name, ""), header=header,
        )
        self.errors.append(error)
        return error


def label_for(kind: str, field_name: str) -> str:
    if field_name == "code":
        return CODE_LABEL
    if field_name == "name":
        return NAME_LABEL
    for column in COLUMNS[kind]:
        if column.field == field_name:
            return column.label
    return field_name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(data: bytes) -> None:
    """Refuse, before any XML is parsed, what is not a reasonable .xlsx file."""
    if not data:
        raise WorkbookRefused("Tệp rỗng.")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise WorkbookRefused(
            f"Tệp quá lớn ({format_int(len(data))} byte); giới hạn là {format_int(limit)} byte."
        )
    head = data[:8]
    if head.startswith(MAGIC_OLE2):
        raise WorkbookRefused(
            "Tệp .xls (Excel 97–2003) không được hỗ trợ. Hãy mở tệp trong Excel và "
            "lưu lại với định dạng «Excel Workbook (.xlsx)»."
        )
    if head.startswith(MAGIC_PDF):
        raise WorkbookRefused("Đây là tệp PDF, không phải tệp Excel (.xlsx).")
    if not head.startswith(MAGIC_ZIP):
        if _looks_like_text(data[:4096]):
            raise WorkbookRefused(
                "Đây là tệp văn bản (CSV hoặc tương tự), không phải tệp Excel (.xlsx). "
                "Hãy dùng mẫu Excel tải về từ hệ thống."
            )
        raise WorkbookRefused("Tệp không phải là tệp Excel (.xlsx).")
    _check_zip(data)


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1258")
        except UnicodeDecodeError:
            return False
    return True


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: an entry claiming a zip version or method Python cannot read.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError) as exc:
        raise WorkbookRefused("Tệp Excel bị hỏng, không đọc được.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise WorkbookRefused("Tệp có cấu trúc bất thường (quá nhiều thành phần); từ chối đọc.")
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise WorkbookRefused("Tệp nén này không phải là sổ tính Excel (.xlsx).")
        total = 0
        limit = max_uncompressed_bytes()
        ratio = max_compression_ratio()
        for entry in entries:
            total += entry.file_size
            if total > limit:
                raise WorkbookRefused(
                    "Tệp khi giải nén quá lớn (nghi là «bom nén»); từ chối đọc. "
                    f"Giới hạn sau giải nén là {format_int(limit)} byte."
                )
            if entry.file_size > RATIO_CHECK_FLOOR and entry.file_size > ratio * max(entry.compress_size, 1):
                raise WorkbookRefused(
                    "Tệp có tỷ lệ nén bất thường (nghi là «bom nén»); từ chối đọc."
                )


def read_table(data: bytes, kind: str) -> SheetTable:
    """Check the file, find the sheet and header row by label, and parse every data row.

    File-level problems raise WorkbookRefused; cell-level ones are collected in the table's
    errors, so that the user sees all of them at once.
    """
    if not DEFUSEDXML:  # fail closed: without defusedxml openpyxl parses entities
        raise WorkbookRefused("Máy chủ thiếu thư viện bảo mật defusedxml; tạm không nhận tệp Excel.")
    check_file(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file; all mean the same
        raise WorkbookRefused("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.") from exc
    try:
        return _read_workbook(workbook, kind)
    except WorkbookRefused:
        raise
    except Exception as exc:  # a malformed sheet found while iterating
        raise WorkbookRefused("Tệp Excel bị hỏng hoặc không đúng định dạng, không đọc được.") from exc
    finally:
        workbook.close()


def _read_workbook(workbook, kind: str) -> SheetTable:
    sheets = list(workbook.worksheets)
    if not sheets:
        raise WorkbookRefused("Sổ tính không có trang tính nào.")
    expected = {normalize_label(c.label): c.field for c in COLUMNS[kind]}
    expected[normalize_label(CODE_LABEL)] = "code"
    expected[normalize_label(NAME_LABEL)] = "name"
    other_kind = RESULTS if kind == TARGETS else TARGETS
    other_labels = {normalize_label(c.label) for c in COLUMNS[other_kind]}

    best_missing: list[str] | None = None
    found_other = False
    all_empty = True
    for sheet in sheets:
        # Dimensions written by other software can claim a million rows; forget them so
        # openpyxl does not pad the sheet with empty rows up to that size.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        for row_index, row in enumerate(
            sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=HEADER_SCAN_COLUMNS,
                            values_only=True),
            start=1,
        ):
            labels = {}
            for col_index, value in enumerate(row, start=1):
                if value is None:
                    continue
                all_empty = False
                key = normalize_label(value)
                if key in expected and expected[key] not in labels:
                    labels[expected[key]] = get_column_letter(col_index)
            if "code" not in labels:
                continue
            missing = [c.label for c in COLUMNS[kind] if c.field not in labels]
            if not missing:
                return _read_rows(workbook, sheet, kind, row_index, labels)
            row_labels = {normalize_label(v) for v in row if v is not None}
            if len(other_labels & row_labels) >= len(other_labels) - 1:
                found_other = True
            if best_missing is None or len(missing) < len(best_missing):
                best_missing = missing
    if all_empty:
        raise WorkbookRefused("Sổ tính trống: không có dữ liệu.")
    if found_other:
        raise WorkbookRefused(
            f"Đây là tệp {KIND_LABELS[other_kind]}, không phải tệp {KIND_LABELS[kind]}. "
            "Hãy chọn đúng mẫu."
        )
    if best_missing:
        raise WorkbookRefused(
            "Dòng tiêu đề thiếu cột: " + "; ".join(f"«{label}»" for label in best_missing)
            + ". Không được sửa tên cột của mẫu."
        )
    raise WorkbookRefused(
        f"Không tìm thấy dòng tiêu đề (có cột «{CODE_LABEL}») trong {HEADER_SCAN_ROWS} dòng "
        "đầu của các trang tính. Hãy dùng mẫu tải về từ hệ thống."
    )


def _read_rows(workbook, sheet, kind: str, header_row: int, letters: dict[str, str]) -> SheetTable:
    table = SheetTable(kind=kind, sheet=sheet.title, header_row=header_row, columns=letters)
    table.marker = str(getattr(workbook.properties, "identifier", "") or "")
    indexes = {name: column_index_from_string(letter) - 1 for name, letter in letters.items()}
    last_column = max(indexes.values()) + 1
    columns = COLUMNS[kind]
    limit = max_rows()
    filled = 0
    for row_number, cells in enumerate(
        sheet.iter_rows(min_row=header_row + 1, max_col=last_column), start=header_row + 1,
    ):
        raw = {name: cells[index] for name, index in indexes.items() if index < len(cells)}
        code = parse_code(_value(raw.get("code")))
        figures = {c.field: raw.get(c.field) for c in columns}
        has_figures = any(not _is_blank(_value(cell)) for cell in figures.values())
        if not code and not has_figures:
            continue
        filled += 1
        if filled > limit:
            # Stop reading at once: the file is refused whatever the remaining rows hold.
            raise WorkbookRefused(
                f"Tệp có quá nhiều dòng (hơn {format_int(limit)} dòng dưới dòng tiêu đề); "
                "mỗi đơn vị chỉ cần một dòng."
            )
        if not has_figures:
            table.skipped_rows.append(row_number)
            continue
        row = SheetRow(row=row_number, code=code, name=str(_value(raw.get("name")) or "").strip(),
                       values={})
        if not code:
            table.error("Thiếu mã đơn vị ở dòng có số liệu.", row=row_number, field_name="code")
            row.has_errors = True
        for column in columns:
            cell = figures[column.field]
            value = _value(cell)
            if _is_blank(value):
                table.error(
                    "Ô còn trống. Dòng đã có số liệu thì phải điền đủ mọi cột "
                    "(nếu ô có công thức, hãy dán giá trị thay cho công thức).",
                    row=row_number, field_name=column.field,
                )
                row.has_errors = True
                continue
            try:
                row.values[column.field] = parse_cell(
                    value, column.kind, getattr(cell, "number_format", None)
                )
            except CellValueError as exc:
                table.error(str(exc), row=row_number, field_name=column.field)
                row.has_errors = True
        table.rows.append(row)
    return table


def _value(cell):
    return getattr(cell, "value", None) if cell is not None else None


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- writing --------------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


def marker(kind: str, campaign, period=None) -> str:
    """Written into the workbook's properties so the importer can warn about a wrong period."""
    parts = [MARKER_PREFIX, kind, campaign.code]
    if period is not None:
        parts.append(str(period.number))
    return ":".join(parts)


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _title_lines(kind: str, campaign, period, *, export: bool) -> list[str]:
    what = "CHỈ TIÊU GIAO" if kind == TARGETS else "KẾT QUẢ THỰC HIỆN"
    heading = f"{what} – {campaign.name}".upper() if export else f"MẪU NHẬP {what} – {campaign.name}"
    lines = ["BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK", heading]
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
        lines.append(
            "Điền số nguyên không âm; tỷ lệ (%) từ 0 đến 100, ví dụ 12,5. Không sửa dòng tiêu đề "
            "và cột mã đơn vị. Dòng để trống toàn bộ số liệu sẽ được bỏ qua; dòng điền dở là lỗi."
        )
    return lines


def _sheet_title(kind: str, period) -> str:
    if kind == TARGETS:
        return "Chỉ tiêu"
    return f"Kết quả kỳ {period.number}"


def _new_sheet(kind: str, campaign, period, extra: Iterable[tuple[str, int]], *, export: bool):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(kind, period)
    workbook.properties.identifier = marker(kind, campaign, period)
    workbook.properties.title = _title_lines(kind, campaign, period, export=export)[1]
    workbook.properties.creator = "Thi đua BHXH tỉnh Đắk Lắk"

    lines = _title_lines(kind, campaign, period, export=export)
    for index, text in enumerate(lines, start=1):
        cell = sheet.cell(row=index, column=1, value=text)
        cell.font = Font(bold=index <= 2, size=13 if index == 2 else 11, italic=index > 2)

    headers = [(CODE_LABEL, 12), (NAME_LABEL, 34)]
    headers += [(c.label, c.width) for c in COLUMNS[kind]]
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


def build_template(kind: str, *, campaign, units: Iterable, period=None) -> bytes:
    """A blank template: one row per reporting unit, code and name filled, figures empty."""
    if kind == RESULTS and period is None:
        raise ValueError("A results template needs a period.")
    workbook, sheet = _new_sheet(kind, campaign, period if kind == RESULTS else None, (),
                                 export=False)
    row = FIRST_DATA_ROW
    for unit in units:
        _write_unit_row(sheet, row, unit, kind, None, shade=True)
        row += 1
    _add_validation(sheet, kind, FIRST_DATA_ROW, row - 1)
    return _save(workbook)


def export_targets(*, campaign, rows: Iterable[tuple]) -> bytes:
    """Targets of a campaign: (unit, Target or None) pairs. Same header as the template, so an
    export can be edited and imported back."""
    workbook, sheet = _new_sheet(TARGETS, campaign, None, [("Cập nhật lúc", 18)], export=True)
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


def export_reports(*, period, rows: Iterable[tuple]) -> bytes:
    """Reports of a period: (unit, Report or None) pairs; units without a report say so."""
    workbook, sheet = _new_sheet(RESULTS, period.campaign, period, REPORT_EXTRA_HEADERS, export=True)
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
