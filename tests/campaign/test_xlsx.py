"""The openpyxl edge: templates, exports, cell parsing and hostile files (mostly no database)."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings
from openpyxl import load_workbook

from campaign import xlsx
from campaign.exports import reports_export, targets_export, template_build
from campaign.xlsx import CellValueError, WorkbookRefused, parse_cell
from units.models import Organisation

from . import excel_factories as f

# --- templates and exports ----------------------------------------------------------------


@pytest.fixture
def results_template(cast) -> bytes:
    return template_build(kind=xlsx.RESULTS, campaign=cast.campaign, period=cast.period1)


def test_results_template_names_campaign_and_period_in_its_title_block(cast, results_template):
    sheet = load_workbook(io.BytesIO(results_template)).active
    title = " ".join(str(sheet.cell(row=r, column=1).value) for r in range(1, xlsx.HEADER_ROW))
    assert cast.campaign.name in title and cast.campaign.code in title
    assert cast.period1.name in title and "31/10/2025" in title


def test_results_template_has_the_exact_header_frozen(results_template):
    sheet = load_workbook(io.BytesIO(results_template)).active
    labels = [c.value for c in sheet[xlsx.HEADER_ROW]]
    assert labels == [
        "Mã đơn vị", "Tên đơn vị", "BHXH bắt buộc", "BHXH tự nguyện", "BHYT",
        "BHXH bắt buộc cùng kỳ", "BHXH tự nguyện cùng kỳ", "BHYT cùng kỳ",
        "Số thu lũy kế (đồng)", "Số thu khối DN, HTX, ngoài công lập (đồng)",
        "Số phải thu (đồng)", "Số tiền chậm đóng (đồng)", "Số tiền chậm đóng phải tính lãi (đồng)",
    ]
    assert sheet.freeze_panes == f"C{xlsx.FIRST_DATA_ROW}"


def test_each_templates_notes_name_only_the_kinds_of_column_it_has(cast, results_template):
    def notes(data):
        sheet = load_workbook(io.BytesIO(data)).active
        return " ".join(str(sheet.cell(row=r, column=1).value) for r in range(1, xlsx.HEADER_ROW))

    results = notes(results_template)
    assert "số người là số nguyên không âm" in results and "đơn vị đồng" in results
    assert "tỷ lệ" not in results.lower() and "%" not in results  # the results have no rate column
    targets = notes(template_build(kind=xlsx.TARGETS, campaign=cast.campaign))
    assert "tỷ lệ (%) từ 0 đến 100, ví dụ 12,5" in targets


def test_targets_template_has_the_exact_header_with_the_campaigns_baseline_date(cast):
    cast.campaign.baseline_date = date(2030, 6, 30)
    data = template_build(kind=xlsx.TARGETS, campaign=cast.campaign)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[xlsx.HEADER_ROW]] == [
        "Mã đơn vị", "Tên đơn vị", "KH BHXH bắt buộc", "BHXH bắt buộc ngày chốt 30/06/2030",
        "KH BHXH tự nguyện", "BHXH tự nguyện ngày chốt 30/06/2030", "KH BHYT",
        "BHYT ngày chốt 30/06/2030",
        "KH số thu (đồng)", "Trần tỷ lệ chậm đóng (%)", "Trần tỷ lệ chậm đóng phải tính lãi (%)",
    ]


@pytest.mark.parametrize("base_labels", [
    # Templates handed out before the baseline date was the campaign's, kept by the offices.
    ("BHXH bắt buộc 31/12/2024", "BHXH tự nguyện 31/12/2024", "BHYT 31/12/2024"),
    ("BHXH bắt buộc ngày chốt 31/12/2030", "BHXH tự nguyện ngày chốt 31/12/2030", "BHYT ngày chốt 31/12/2030"),
    ("BHXH bắt buộc ngày chốt", "BHXH tự nguyện ngày chốt", "BHYT ngày chốt"),
])
def test_a_targets_file_is_read_whatever_date_its_baseline_headers_carry(base_labels):
    labels = f.header(xlsx.TARGETS)
    for neutral, kept in zip(("BHXH bắt buộc ngày chốt", "BHXH tự nguyện ngày chốt", "BHYT ngày chốt"),
                             base_labels, strict=True):
        labels[labels.index(neutral)] = kept
    table = xlsx.read_table(f.sheet_bytes([labels, ["AAA", "A", *f.target_values()]]), xlsx.TARGETS)
    assert table.rows[0].values["mandatory_base"] == 8_500
    assert table.rows[0].values["health_base"] == 90_000


def test_a_results_header_is_not_taken_for_a_baseline_header():
    assert xlsx.header_key("BHXH bắt buộc") != xlsx.header_key("BHXH bắt buộc 31/12/2030")
    assert xlsx.header_key("BHXH bắt buộc 31/12/2030") == xlsx.header_key("BHXH bắt buộc ngày chốt")


def test_templates_are_headed_and_signed_by_the_organisation(cast):
    Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Thử Nghiệm", short_name="BHXH tỉnh Thử Nghiệm",
        parent="Bảo hiểm xã hội Việt Nam", place="Thử Nghiệm", document_symbol="BHXH",
        head_title="Giám đốc",
    )
    for data in (template_build(kind=xlsx.TARGETS, campaign=cast.campaign),
                 targets_export(campaign=cast.campaign), reports_export(period=cast.period1)):
        workbook = load_workbook(io.BytesIO(data))
        assert workbook.active["A1"].value == "BẢO HIỂM XÃ HỘI TỈNH THỬ NGHIỆM"
        assert workbook.properties.creator == "Thi đua BHXH tỉnh Thử Nghiệm"


def test_template_lists_every_reporting_unit_and_no_other(cast, results_template):
    sheet = load_workbook(io.BytesIO(results_template)).active
    codes = [sheet.cell(row=r, column=1).value for r in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1)]
    assert sorted(codes) == ["AAA", "BBB", "CCC", "QLT"]
    names = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
             for r in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1)}
    assert names["AAA"] == "BHXH cơ sở A"


def test_template_input_cells_are_empty_formatted_and_formula_free(results_template):
    sheet = load_workbook(io.BytesIO(results_template)).active
    for row in sheet.iter_rows(min_row=xlsx.FIRST_DATA_ROW, min_col=3):
        for cell in row:
            assert cell.value is None  # no value, so no formula either
            assert cell.number_format == "#,##0"
    assert all(sheet.column_dimensions[letter].width >= 12 for letter in "ABCDEFGHIJKLM")
    assert sheet.column_dimensions["B"].width >= 30


def test_template_validates_whole_numbers_and_percentages(cast):
    results = load_workbook(io.BytesIO(
        template_build(kind=xlsx.RESULTS, campaign=cast.campaign, period=cast.period1))).active
    kinds = {(v.type, v.operator, v.formula1, v.formula2) for v in results.data_validations.dataValidation}
    assert ("whole", "between", "0", str(xlsx.COUNT_MAX)) in kinds
    assert any(t == "custom" and "INT(" in f1 and ">=0" in f1 for t, _, f1, _ in kinds)

    targets = load_workbook(io.BytesIO(template_build(kind=xlsx.TARGETS, campaign=cast.campaign))).active
    percent = [v for v in targets.data_validations.dataValidation if v.type == "decimal"]
    assert len(percent) == 1
    assert (percent[0].formula1, percent[0].formula2) == ("0", "100")
    assert "J7" in str(percent[0].sqref) and "K7" in str(percent[0].sqref)
    assert targets["J7"].number_format == "#,##0.00"


def test_export_targets_holds_values_with_thousands_format(cast):
    sheet = load_workbook(io.BytesIO(targets_export(campaign=cast.campaign))).active
    header = [c.value for c in sheet[xlsx.HEADER_ROW]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=xlsx.FIRST_DATA_ROW)}
    revenue = rows["AAA"][header.index("KH số thu (đồng)")]
    assert revenue.value == 260_000_000_000 and revenue.number_format == "#,##0"
    assert rows["QLT"][header.index("KH BHXH bắt buộc")].value == 30_000
    assert Decimal(str(rows["AAA"][header.index("Trần tỷ lệ chậm đóng (%)")].value)) == Decimal("3.5")


def test_export_reports_marks_missing_reports(cast, make_report):
    make_report(cast.period1, cast.office_a)
    sheet = load_workbook(io.BytesIO(reports_export(period=cast.period1))).active
    header = [c.value for c in sheet[xlsx.HEADER_ROW]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=xlsx.FIRST_DATA_ROW)}
    status = header.index("Trạng thái")
    assert rows["AAA"][status].value == "Đã gửi"
    assert rows["BBB"][status].value == "Chưa có báo cáo"
    assert rows["AAA"][header.index("Số thu lũy kế (đồng)")].value == 230_000_000_000
    assert rows["AAA"][header.index("Số thu lũy kế (đồng)")].number_format == "#,##0"


# --- parsing cells --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, 1234567),
    (1234567.0, 1234567),
    ("1.234.567", 1234567),
    ("1,234,567", 1234567),
    (" 1 234 567 ", 1234567),
    ("1.234.567,00", 1234567),
    ("230000000000", 230_000_000_000),
    (0, 0),
])
def test_amounts_typed_as_numbers_or_text_are_read_exactly(value, expected):
    parsed = parse_cell(value, xlsx.MONEY)
    assert parsed == expected and isinstance(parsed, int)


@pytest.mark.parametrize(("value", "number_format", "expected"), [
    ("12,5", None, Decimal("12.5")),
    ("12.5", None, Decimal("12.5")),
    ("12,5%", None, Decimal("12.5")),
    (12.5, "General", Decimal("12.5")),
    (3, "General", Decimal("3")),
    (0.125, "0.00%", Decimal("12.5")),
    (100, "General", Decimal("100")),
])
def test_percentages(value, number_format, expected):
    assert parse_cell(value, xlsx.PERCENT, number_format) == expected


@pytest.mark.parametrize(("value", "kind", "message"), [
    ("abc", xlsx.COUNT, "Không phải là số"),
    (True, xlsx.COUNT, "Không phải là số"),
    (date(2025, 10, 31), xlsx.MONEY, "ngày tháng"),
    (-1, xlsx.COUNT, "âm"),
    ("-1.000", xlsx.MONEY, "âm"),
    (12.5, xlsx.COUNT, "số nguyên"),
    ("12,5", xlsx.COUNT, "số nguyên"),
    ("1.23.4", xlsx.MONEY, "Không phải là số"),
    ("١٢٣", xlsx.COUNT, "Không phải là số"),  # other scripts' digits, which Decimal() takes
    ("１２３", xlsx.COUNT, "Không phải là số"),
    ("35_871", xlsx.COUNT, "Không phải là số"),
    (xlsx.COUNT_MAX + 1, xlsx.COUNT, "quá lớn"),
    ("100,5", xlsx.PERCENT, "0 đến 100"),
    (-0.5, xlsx.PERCENT, "0 đến 100"),
    ("12,345", xlsx.PERCENT, "2 chữ số thập phân"),
])
def test_bad_cells_get_a_vietnamese_message(value, kind, message):
    with pytest.raises(CellValueError, match=message):
        parse_cell(value, kind)


def test_empty_cells_are_none():
    assert parse_cell(None, xlsx.COUNT) is None
    assert parse_cell("   ", xlsx.COUNT) is None


# --- finding the header -----------------------------------------------------------------------


def test_header_found_by_label_below_a_title_block_with_extra_columns_in_another_order():
    labels = f.header(xlsx.RESULTS)
    order = [labels[0], "Ghi chú"] + list(reversed(labels[2:])) + [labels[1]]
    values = dict(zip(labels[2:], f.result_values(), strict=True))
    row = ["AAA", "tùy ý"] + [values[label] for label in reversed(labels[2:])] + ["BHXH cơ sở A"]
    data = f.sheet_bytes([["BÁO CÁO"], [], ["Số liệu đến 31/10/2025"], order, row])
    table = xlsx.read_table(data, xlsx.RESULTS)
    assert table.header_row == 4 and not table.errors
    assert table.rows[0].code == "AAA" and table.rows[0].name == "BHXH cơ sở A"
    assert table.rows[0].values["revenue"] == 230_000_000_000
    assert table.columns["code"] == "A" and table.columns["name"] == "N"


def test_header_labels_tolerate_nfd_and_line_breaks():
    import unicodedata

    labels = [unicodedata.normalize("NFD", label).replace(" ", "\n", 1) for label in f.header(xlsx.RESULTS)]
    data = f.sheet_bytes([labels, ["AAA", "A", *f.result_values()]])
    assert xlsx.read_table(data, xlsx.RESULTS).rows[0].code == "AAA"


def test_fully_empty_row_is_skipped_and_partial_row_names_each_empty_cell():
    values = f.result_values()
    partial = ["BBB", "B", *values[:3]] + [None] * (len(values) - 3)
    data = f.results_sheet([["AAA", "A"], partial])
    table = xlsx.read_table(data, xlsx.RESULTS)
    assert table.skipped_rows == [2]
    assert {(e.row, e.column) for e in table.errors} == {(3, letter) for letter in "FGHIJKLM"}
    assert all("trống" in e.message for e in table.errors)


# --- hostile files ----------------------------------------------------------------------------


def refused(data: bytes, kind: str = xlsx.RESULTS) -> str:
    with pytest.raises(WorkbookRefused) as info:
        xlsx.read_table(data, kind)
    return info.value.message


def test_defusedxml_is_in_use():
    assert openpyxl.DEFUSEDXML is True


def test_xls_file_is_refused_with_advice_to_save_as_xlsx():
    assert ".xls" in refused(f.XLS_BYTES) and ".xlsx" in refused(f.XLS_BYTES)


def test_csv_file_is_refused():
    assert "CSV" in refused(f.CSV_BYTES)


def test_renamed_pdf_is_refused():
    assert "PDF" in refused(f.PDF_BYTES)


def test_zip_that_is_not_a_workbook_is_refused():
    assert "không phải là sổ tính" in refused(f.zip_with({"word/document.xml": b"<w/>"}))


def test_corrupt_zip_is_refused():
    assert "hỏng" in refused(b"PK\x03\x04" + b"\x00" * 100)


def test_empty_workbook_is_refused():
    assert "trống" in refused(f.save(openpyxl.Workbook()))


def test_workbook_without_the_header_is_refused():
    message = refused(f.sheet_bytes([["Mã", "Tên", "Số người"], ["AAA", "A", 1]]))
    assert "tiêu đề" in message


def test_header_missing_a_column_names_it():
    labels = [label for label in f.header(xlsx.RESULTS) if label != "BHYT cùng kỳ"]
    assert "«BHYT cùng kỳ»" in refused(f.sheet_bytes([labels]))


def test_targets_file_offered_as_results_says_so():
    data = f.sheet_bytes([f.header(xlsx.TARGETS), ["AAA", "A", *f.target_values()]])
    assert "tệp chỉ tiêu" in refused(data, xlsx.RESULTS)


def test_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = f.zip_bomb()
    assert len(bomb) < 100_000
    assert "bom nén" in refused(bomb)


@override_settings(IMPORT_MAX_UNCOMPRESSED_BYTES=1_000_000, IMPORT_MAX_COMPRESSION_RATIO=10_000)
def test_zip_bomb_is_refused_by_its_total_inflated_size():
    assert "bom nén" in refused(f.zip_bomb(2_000_000))


def test_file_over_the_default_size_cap_is_refused_before_reading():
    assert "quá lớn" in refused(b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))


@override_settings(IMPORT_MAX_UPLOAD_BYTES=2_000)
def test_size_cap_is_a_setting(cast):
    data = template_build(kind=xlsx.RESULTS, campaign=cast.campaign, period=cast.period1)
    assert len(data) > 2_000
    assert "quá lớn" in refused(data)


def test_hundred_thousand_rows_are_refused_at_the_row_cap():
    data = f.many_rows(100_000)
    assert len(data) < xlsx.max_upload_bytes()  # so the row cap, not the size cap, refuses it
    message = refused(data)
    # The reader raises as soon as row 5,001 is seen: by construction it never reads the rest.
    assert "quá nhiều dòng" in message and "5.000" in message


@override_settings(IMPORT_MAX_ROWS=3)
def test_row_cap_is_a_setting():
    rows = [[f"U{n}", "", *f.result_values()] for n in range(4)]
    assert "hơn 3 dòng" in refused(f.results_sheet(rows))


def test_dimension_claiming_a_million_rows_does_not_pad_the_sheet():
    # Software that writes <dimension ref="A1:XFD1048576"/> must not make us iterate a
    # million empty rows of 16,384 cells.
    data = f.results_sheet([["AAA", "A", *f.result_values()]])
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    import re

    entries["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:XFD1048576"/>', sheet
    ).encode()
    assert b"XFD1048576" in entries["xl/worksheets/sheet1.xml"]
    table = xlsx.read_table(f.zip_with(entries), xlsx.RESULTS)
    assert [r.code for r in table.rows] == ["AAA"]
