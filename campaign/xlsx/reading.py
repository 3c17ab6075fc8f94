"""Reading an uploaded workbook safely: `read_table` turns bytes into a `SheetTable` of
parsed rows and cell-level errors; the import service (`campaign.imports`) decides what the
rows mean. Nothing here touches the database.

Hostile files are stopped before openpyxl parses any XML: a size cap, magic bytes (so that
.xls, .csv and a renamed PDF get a message of their own), and the zip directory's declared
sizes (a zip bomb). Python's zipfile never inflates an entry beyond its declared size (it
truncates and fails the CRC check), so checking the declared sizes bounds the real work.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from openpyxl import DEFUSEDXML, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from rules.formatting import format_number

from .cells import CellValueError, parse_cell, parse_code
from .columns import (
    CODE_LABEL,
    COLUMNS,
    KIND_LABELS,
    NAME_LABEL,
    RESULTS,
    TARGETS,
    header_key,
    label_for,
)

# How far down and across the reader looks for the header row.
HEADER_SCAN_ROWS = 30
HEADER_SCAN_COLUMNS = 200

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
    """1234567 → "1.234.567", for messages: the templates' own `format_number`."""
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
    expected = {header_key(c.label): c.field for c in COLUMNS[kind]}
    expected[header_key(CODE_LABEL)] = "code"
    expected[header_key(NAME_LABEL)] = "name"
    other_kind = RESULTS if kind == TARGETS else TARGETS
    other_labels = {header_key(c.label) for c in COLUMNS[other_kind]}

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
                key = header_key(value)
                if key in expected and expected[key] not in labels:
                    labels[expected[key]] = get_column_letter(col_index)
            if "code" not in labels:
                continue
            missing = [c.label for c in COLUMNS[kind] if c.field not in labels]
            if not missing:
                return _read_rows(workbook, sheet, kind, row_index, labels)
            row_labels = {header_key(v) for v in row if v is not None}
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

