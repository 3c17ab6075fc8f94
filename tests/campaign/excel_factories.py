"""Workbooks for the Excel tests: filled templates, hand-made sheets and hostile files."""

import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from campaign import xlsx


def fill(template: bytes, rows: dict[str, dict], *, formats: dict[str, str] | None = None) -> bytes:
    """Fill a downloaded template as a person would: find each unit's row by its code, and each
    column by its label (a dated header is found by its label without the date)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    header = [cell.value for cell in sheet[xlsx.HEADER_ROW]]
    column_of = {xlsx.header_key(label): index + 1 for index, label in enumerate(header) if label}
    for row in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1):
        code = sheet.cell(row=row, column=1).value
        for label, value in rows.get(code, {}).items():
            cell = sheet.cell(row=row, column=column_of[xlsx.header_key(label)])
            cell.value = value
            if formats and label in formats:
                cell.number_format = formats[label]
    return save(workbook)


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def labelled(kind: str, figures: dict) -> dict:
    """{field: value} → {header label: value}, the way a filled row reads."""
    return {column.label: figures[column.field] for column in xlsx.COLUMNS[kind] if column.field in figures}


def sheet_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return save(workbook)


def header(kind: str, *, extra_first: bool = False) -> list[str]:
    labels = [xlsx.CODE_LABEL, xlsx.NAME_LABEL] + [c.label for c in xlsx.COLUMNS[kind]]
    return (["Ghi chú"] + labels) if extra_first else labels


def result_values(**overrides) -> list:
    figures = {
        "mandatory_actual": 9_000, "voluntary_actual": 3_600, "health_actual": 95_000,
        "mandatory_last_year": 8_500, "voluntary_last_year": 3_300, "health_last_year": 93_000,
        "revenue": 230_000_000_000, "nonpublic_revenue": 90_000_000_000,
        "due": 240_000_000_000, "late": 6_000_000_000, "late_interest": 3_000_000_000,
    }
    figures.update(overrides)
    return [figures[c.field] for c in xlsx.RESULT_COLUMNS]


def target_values(**overrides) -> list:
    figures = {
        "mandatory_plan": 9_700, "mandatory_base": 8_500, "voluntary_plan": 4_100,
        "voluntary_base": 3_000, "health_plan": 101_000, "health_base": 90_000,
        "revenue_plan": 265_000_000_000, "late_max": Decimal("3.5"), "late_interest_max": 2,
    }
    figures.update(overrides)
    return [figures[c.field] for c in xlsx.TARGET_COLUMNS]


def results_sheet(rows: list[list], *, title_rows: int = 0) -> bytes:
    """A results workbook: optional title lines, the header, then [code, name, *figures] rows."""
    lines = [[f"Dòng tiêu đề {n}"] for n in range(1, title_rows + 1)]
    return sheet_bytes(lines + [header(xlsx.RESULTS)] + rows)


def many_rows(count: int) -> bytes:
    """A header and `count` rows, written in streaming mode so building it stays quick."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(header(xlsx.RESULTS))
    for n in range(count):
        sheet.append([f"U{n}", None, n])
    return save(workbook)


def zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(inflated_bytes: int = 8 * 1024 * 1024) -> bytes:
    """A tiny file that would inflate a worksheet to `inflated_bytes` of blanks (ratio ~1000)."""
    return zip_with({
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b" " * inflated_bytes,
    })


XLS_BYTES = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504
CSV_BYTES = "Mã đơn vị,Tên đơn vị,BHXH bắt buộc\nAAA,BHXH cơ sở A,9000\n".encode()
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
