"""Fuzzing the Excel reader.

- `parse_cell`, for every column kind, turns any value openpyxl (or a caller) can hand it into
  a number in range, None for an empty cell, or a CellValueError with a Vietnamese message:
  never any other exception.
- `read_table` on workbooks with arbitrary contents (shuffled and damaged headers, any cell
  values, formulas, odd number formats, damaged bytes) returns a table or raises
  WorkbookRefused, whose message is for the user; `import_parse` never raises at all (every
  problem is in the preview's errors), and a preview without errors applies cleanly.
- The workbooks drawn are about half the real template filled cleanly (those must import
  exactly as written, so the apply path runs), a third the same with one thing damaged, the
  rest hand-made sheets with damaged headers and arbitrary cells.
"""

import datetime as dt
import functools
import io
import math
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, Phase, assume, event, example, find, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from campaign import xlsx
from campaign.exports import template_build
from campaign.import_preview import import_parse
from campaign.imports import import_apply, import_upload
from campaign.models import Report, Target
from campaign.selectors import reporting_units
from campaign.xlsx import (
    COUNT,
    COUNT_MAX,
    MONEY,
    MONEY_MAX,
    PERCENT,
    RESULTS,
    TARGETS,
    CellValueError,
    WorkbookRefused,
    parse_cell,
    read_table,
)

from ..conftest import examples
from . import excel_factories as f

pytestmark = pytest.mark.slow

VIETNAMESE = re.compile(r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)

NUMBER_FORMATS = [None, "General", "0", "#,##0", "0.00", "0%", "0.00%", "@", "dd/mm/yyyy", '0" %"']

number_texts = st.one_of(
    st.sampled_from([
        "", " ", "0", "-0", "+0", "-1", "1.234.567", "1,234,567", "1.234,5", "1,234.5", "12,5",
        "12.5", "12,345", "12.345", "100", "100,00", "100,001", "100,01", "0,005", "99,99 %",
        "12,5%", "−5", "1 234 567", "1\u00a0234", "1\u202f234", "1e5", "NaN", "inf", "٣", "١٢٣",
        "１２３", "²", "½", "1..2", ",5", "5,", ".", ",", "%", "-", "1.2.3", "1,2,3", "1.23.456",
        "12.34.567", "9" * 30, "1" + "0" * 500, "2147483647", "2147483648",
        "9223372036854775807", "9223372036854775808", "mười hai", "=SUM(A1)",
    ]),
    st.integers(-(10**30), 10**30).map(str),
    st.integers(0, 10**20).map(lambda n: f"{n:,}".replace(",", ".")),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(lambda d: str(d).replace(".", ",")),
    st.text(alphabet="0123456789.,-+%− \u00a0", max_size=30),
    st.text(max_size=30),
)

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-1, 10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=200),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=100, places=3),
    number_texts,
    st.datetimes(),
    st.dates(),
    st.times(),
    st.just(b"bytes"),
    st.just(object()),
    st.just([1, 2]),
)


def check_parsed(value, kind: str, parsed) -> None:
    if parsed is None:
        assert value is None or (isinstance(value, str) and not value.strip()), value
    elif kind == PERCENT:
        assert isinstance(parsed, Decimal) and parsed.is_finite(), parsed
        assert 0 <= parsed <= 100 and parsed.as_tuple().exponent == -2, parsed
    else:
        assert type(parsed) is int, parsed
        assert 0 <= parsed <= (COUNT_MAX if kind == COUNT else MONEY_MAX), parsed


@settings(max_examples=examples(500), deadline=None)
@given(value=cell_values, kind=st.sampled_from([COUNT, MONEY, PERCENT]),
       number_format=st.sampled_from(NUMBER_FORMATS))
@example(value=Decimal("-Infinity"), kind=MONEY, number_format=None)
@example(value=float("nan"), kind=PERCENT, number_format="0%")
@example(value=1e308, kind=PERCENT, number_format="0%")
@example(value=5e-324, kind=PERCENT, number_format="0%")
@example(value=-0.0, kind=PERCENT, number_format=None)
@example(value="1" + "0" * 5000, kind=COUNT, number_format=None)
@example(value=True, kind=COUNT, number_format=None)
@example(value=dt.datetime(2025, 11, 5), kind=MONEY, number_format="dd/mm/yyyy")
def test_parse_cell_gives_a_number_in_range_or_its_own_error(value, kind, number_format):
    try:
        parsed = parse_cell(value, kind, number_format)
    except CellValueError as exc:
        assert VIETNAMESE.search(str(exc)), str(exc)
        return
    check_parsed(value, kind, parsed)


@settings(max_examples=examples(300), deadline=None)
@given(n=st.integers(0, COUNT_MAX), kind=st.sampled_from([COUNT, MONEY]), pad=st.sampled_from(["", " ", "\u00a0"]))
def test_a_whole_number_reads_back_however_it_was_written(n, kind, pad):
    vietnamese, english = f"{n:,}".replace(",", "."), f"{n:,}"
    for written in (n, float(n), Decimal(n), str(n), vietnamese, english, pad + vietnamese + pad):
        assert parse_cell(written, kind) == n, written


@settings(max_examples=examples(300), deadline=None)
@given(d=st.decimals(min_value=0, max_value=100, places=2))
def test_a_percentage_reads_back_however_it_was_written(d):
    comma = str(d).replace(".", ",")
    for written, number_format in (
        (comma, None), (comma + " %", None), (comma + "%", None), (str(d), None),
        (float(str(d)), "0.00"), (float(str(d / 100)), "0.00%"), (d, None),
    ):
        assert parse_cell(written, PERCENT, number_format) == d, (written, number_format)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("-NaN")])
@pytest.mark.parametrize("kind", [COUNT, PERCENT])
def test_a_decimal_nan_is_refused_with_a_message(value, kind):
    with pytest.raises(CellValueError):
        parse_cell(value, kind)


# --- workbooks ----------------------------------------------------------------------------------

def clean_text(value):
    """openpyxl refuses control characters in a cell; Excel cannot hold them either."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def to_excel_value(value):
    """What a cell can hold: numbers, text, booleans, dates; anything else goes in as text."""
    if value is None or isinstance(value, str | bool | int | float | dt.date | dt.time):
        return clean_text(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    return clean_text(str(value))


def label_variants(label: str, mode: str) -> st.SearchStrategy[str]:
    import unicodedata

    # Spellings the reader must recognise: case, surrounding space, a line break inside the
    # cell, NFD (a Mac).
    benign = [label, label.upper(), f"  {label}\n", unicodedata.normalize("NFD", label),
              label.replace(" ", "\n")]
    if mode == "exact":
        return st.just(label)
    if mode == "benign":
        return st.sampled_from(benign)
    return st.sampled_from(benign + [label[:-1], "", "Ghi chú", label + "?"])


@st.composite
def hand_made_workbooks(draw, kind: str) -> bytes:
    """A sheet shaped like the template (title lines, a header, unit rows), each part
    possibly damaged, with mostly sensible and sometimes arbitrary values in the cells.
    Nearly every one is refused or has cell errors: see filled_templates for clean ones."""
    columns = [xlsx.CODE_LABEL, xlsx.NAME_LABEL] + [c.label for c in xlsx.COLUMNS[kind]]
    if draw(st.integers(0, 3)) == 0:
        columns = draw(st.permutations(columns))
    mode = draw(st.sampled_from(["exact"] * 4 + ["benign"] * 3 + ["damaged", "other"]))
    if mode == "other":
        other = RESULTS if kind == TARGETS else TARGETS
        columns = [xlsx.CODE_LABEL, xlsx.NAME_LABEL] + [c.label for c in xlsx.COLUMNS[other]]
    headers = [draw(label_variants(label, mode)) for label in columns]
    extra = draw(st.integers(0, 2))
    headers = [draw(st.text(max_size=8)) for _ in range(extra)] + headers

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = draw(st.sampled_from(["Sheet1", "Kết quả kỳ 1", "Chỉ tiêu", "x" * 31]))
    if draw(st.integers(0, 5)) == 0:
        workbook.create_sheet("Trống")
    for row in draw(st.lists(st.lists(cell_values, max_size=3), max_size=4)):
        sheet.append([to_excel_value(v) for v in row])
    sheet.append([clean_text(h) for h in headers])

    code_column = extra + columns.index(xlsx.CODE_LABEL)
    name_column = extra + columns.index(xlsx.NAME_LABEL)
    field_of = {c.label: c for c in xlsx.COLUMNS[kind]}
    codes = draw(st.permutations(["AAA", "BBB", "CCC", "QLT"]))
    odd_codes = st.sampled_from(["TCHC", "aaa", " BBB ", "ZZZ", "", None, 123, 12.0, "AAA"])
    for number in range(draw(st.integers(0, 5))):
        code = codes[number] if number < len(codes) and draw(st.integers(0, 4)) else draw(odd_codes)
        row = []
        for index, label in enumerate([None] * extra + columns):
            column = field_of.get(label)
            if index == code_column:
                row.append(code)
            elif index == name_column:
                row.append(draw(st.sampled_from(["Đơn vị", "", None])))
            elif column is None:
                row.append(draw(cell_values))
            else:
                good = (st.decimals(min_value=0, max_value=100, places=2) if column.kind == PERCENT
                        else st.integers(0, 10**6))
                row.append(draw(st.one_of(good, good, good, good, good, good, cell_values)))
        sheet.append([to_excel_value(v) for v in row])
        last = sheet.max_row
        for index, label in enumerate([None] * extra + columns):
            column = field_of.get(label)
            if column is not None and column.kind == PERCENT and draw(st.integers(0, 3)) == 0:
                number_format = draw(st.sampled_from(NUMBER_FORMATS)) or "General"
                sheet.cell(row=last, column=index + 1).number_format = number_format
    buffer = io.BytesIO()
    try:
        workbook.save(buffer)
    except Exception:  # openpyxl's writer refused a value: not the reader's problem
        assume(False)
    return buffer.getvalue()


# The reporting units of the `cast` fixture, in reporting_units() order, and stand-ins for its
# campaign and first period: the template is built by the application's own builder
# (xlsx.build_template, what template_build calls) without a database, so that the strategy
# can be drawn anywhere. test_the_workbook_strategies_are_not_vacuous checks it is the same
# template as the cast's real one.
CAST_UNITS = (("QLT", "Phòng Quản lý thu"), ("AAA", "BHXH cơ sở A"), ("BBB", "BHXH cơ sở B"),
              ("CCC", "BHXH cơ sở C"))
CAST_CAMPAIGN = SimpleNamespace(code="TEST2025", name="Thi đua thử", year=2025)
CAST_PERIOD1 = SimpleNamespace(number=1, name="Tháng 10/2025", first_day=dt.date(2025, 10, 1),
                               last_day=dt.date(2025, 10, 31))


@functools.cache
def cast_template(kind: str) -> bytes:
    units = [SimpleNamespace(code=code, name=name) for code, name in CAST_UNITS]
    return xlsx.build_template(kind, campaign=CAST_CAMPAIGN, units=units,
                               period=CAST_PERIOD1 if kind == RESULTS else None)


class Drawn:
    """A drawn workbook. `figures` ({code: {field: value}}) when it is well formed, the
    figures it holds; None when it was damaged on purpose (it may still be clean)."""

    def __init__(self, kind: str, source: str, data: bytes, figures: dict | None = None):
        self.kind, self.source, self.data, self.figures = kind, source, data, figures

    def __repr__(self) -> str:  # the bytes say nothing to a reader of a failure
        return f"Drawn({self.kind!r}, {self.source!r}, <{len(self.data)} bytes>, figures={self.figures!r})"


counts = st.one_of(st.integers(0, 200_000), st.integers(0, COUNT_MAX), st.sampled_from([0, COUNT_MAX]))
money = st.one_of(st.integers(0, 10**12), st.integers(0, MONEY_MAX), st.sampled_from([0, MONEY_MAX]))
percents = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def unit_figures(draw, kind: str) -> dict:
    """One unit's figures, each in range, keeping the rules between figures
    (services.validate_report_figures / validate_target_figures)."""
    figures = {
        c.field: draw(percents if c.kind == PERCENT else money if c.kind == MONEY else counts)
        for c in xlsx.COLUMNS[kind]
    }
    if kind == RESULTS:
        figures["nonpublic_revenue"] = draw(st.integers(0, figures["revenue"]))
        figures["late"] = draw(st.integers(0, figures["due"]))
        figures["late_interest"] = draw(st.integers(0, figures["late"]))
    return figures


@st.composite
def written(draw, value, kind: str) -> tuple:
    """(cell value, number format or None): one way a person or a program writes `value`
    that the reader must read back as exactly `value`."""
    if kind == PERCENT:
        comma = str(value).replace(".", ",")
        return draw(st.sampled_from([
            (value, None), (float(str(value)), None), (float(str(value)), "0.00"),
            (float(str(value / 100)), "0.00%"), (comma, None), (comma + " %", None),
            (comma + "%", None), (str(value), None),
        ]))
    grouped = f"{value:,}".replace(",", ".")
    ways = [(str(value), None), (grouped, None), (f" {grouped}\u00a0", None), (f"{value:,}", None)]
    if value <= 2**53:
        # A number cell holds a double, as in Excel (openpyxl writes ints through float):
        # beyond 2^53 only text keeps every digit.
        ways += [(value, None), (value, None), (value, "General"), (float(value), None),
                 (Decimal(value), None)]
    return draw(st.sampled_from(ways))


def fill_template(kind: str, rows: dict[str, dict], *, formats: dict | None = None, edit=None) -> bytes:
    """The cast's template with `rows` ({code: {field: cell value}}) filled in the units'
    rows, `formats` ({(code, field): number format}) applied, then `edit(sheet, row_of,
    column_of, workbook)` run to damage it."""
    workbook = load_workbook(io.BytesIO(cast_template(kind)))
    sheet = workbook.active
    header = [xlsx.normalize_label(cell.value) for cell in sheet[xlsx.HEADER_ROW]]
    column_of = {c.field: header.index(xlsx.normalize_label(c.label)) + 1 for c in xlsx.COLUMNS[kind]}
    row_of = {sheet.cell(row=row, column=1).value: row
              for row in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1)}
    for code, values in rows.items():
        for name, value in values.items():
            sheet.cell(row=row_of[code], column=column_of[name], value=value)
    for (code, name), number_format in (formats or {}).items():
        sheet.cell(row=row_of[code], column=column_of[name]).number_format = number_format
    if edit is not None:
        edit(sheet, row_of, column_of, workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MUTATIONS = ["garbage cell", "blank cell", "odd code", "duplicate code", "rule broken",
             "odd number format", "nothing filled", "another period's file", "junk around"]


@st.composite
def filled_templates(draw, kind: str, mutation: str | None = None) -> Drawn:
    """The cast's template, filled for some of its units as a person would (numbers,
    grouped text, percentages as 3,5 or 0,035 formatted as %, ...): clean, or with one
    thing damaged (`mutation`, one of MUTATIONS)."""
    codes = draw(st.lists(st.sampled_from([code for code, _ in CAST_UNITS]), min_size=1, unique=True))
    figures = {code: draw(unit_figures(kind)) for code in codes}
    kinds = {c.field: c.kind for c in xlsx.COLUMNS[kind]}
    rows, formats = {}, {}
    for code, values in figures.items():
        rows[code] = {}
        for name, value in values.items():
            rows[code][name], number_format = draw(written(value, kinds[name]))
            if number_format is not None:
                formats[(code, name)] = number_format
    if mutation is None:
        return Drawn(kind, "template", fill_template(kind, rows, formats=formats), figures)

    how = mutation
    code = draw(st.sampled_from(codes))
    name = draw(st.sampled_from(list(kinds)))
    edit = None
    if how == "garbage cell":
        rows[code][name] = to_excel_value(draw(cell_values))
    elif how == "blank cell":
        rows[code][name] = draw(st.sampled_from([None, "", " "]))
    elif how == "odd code":
        odd = draw(st.sampled_from(["TCHC", "ZZZ", "", " aaa ", "AAA.", 123]))

        def edit(sheet, row_of, column_of, workbook):
            sheet.cell(row=row_of[code], column=1, value=odd)
    elif how == "duplicate code":  # the unit's row again, below the table

        def edit(sheet, row_of, column_of, workbook):
            sheet.append([cell.value for cell in sheet[row_of[code]]])
    elif how == "rule broken":
        if kind == RESULTS:
            part, whole = draw(st.sampled_from([("nonpublic_revenue", "revenue"), ("late_interest", "late"),
                                                ("late", "due")]))
            rows[code][part] = min(figures[code][whole] + draw(st.integers(1, 10**6)), MONEY_MAX)
        else:
            rows[code][name] = draw(st.sampled_from([-1, Decimal("100.01"), COUNT_MAX + 1, "-5"]))
    elif how == "odd number format":
        formats[(code, name)] = draw(st.sampled_from(NUMBER_FORMATS)) or "General"
    elif how == "nothing filled":
        rows, formats = {}, {}
    elif how == "another period's file":  # a warning, not an error

        def edit(sheet, row_of, column_of, workbook):
            workbook.properties.identifier = f"{xlsx.MARKER_PREFIX}:{kind}:TEST2025:2"
    else:  # "junk around": text in the title lines and beside the table
        junk = [clean_text(draw(st.text(max_size=12))) for _ in range(3)]

        def edit(sheet, row_of, column_of, workbook):
            sheet.cell(row=2, column=3, value=junk[0])
            sheet.cell(row=row_of[code], column=len(kinds) + 4, value=junk[1])
            sheet.cell(row=sheet.max_row + 2, column=2, value=junk[2])
    try:
        data = fill_template(kind, rows, formats=formats, edit=edit)
    except Exception:  # openpyxl's writer refused a value: not the reader's problem
        assume(False)
    return Drawn(kind, f"mutated template ({how})", data)


@st.composite
def drawn_workbooks(draw, kind: str) -> Drawn:
    """Clean filled templates (about half), templates with one thing damaged (30 %), and
    hand-made sheets. The choice is drawn first and flat, so that every kind of damage
    turns up in a run rather than whichever one Hypothesis happened to settle on."""
    source = draw(st.sampled_from(["template"] * 16 + MUTATIONS + ["hand-made"] * 6))
    if source == "template":
        return draw(filled_templates(kind))
    if source == "hand-made":
        return Drawn(kind, "hand-made", draw(hand_made_workbooks(kind)))
    return draw(filled_templates(kind, mutation=source))


def workbooks(kind: str) -> st.SearchStrategy[bytes]:
    """For the reader alone: hand-made sheets more often than not, and the mix above."""
    return st.one_of(hand_made_workbooks(kind), drawn_workbooks(kind).map(lambda drawn: drawn.data))


def check_table(table: xlsx.SheetTable, kind: str) -> None:
    fields = {c.field: c.kind for c in xlsx.COLUMNS[kind]}
    for row in table.rows:
        for name, value in row.values.items():
            if fields[name] == PERCENT:
                assert isinstance(value, Decimal) and 0 <= value <= 100
            else:
                assert type(value) is int and 0 <= value <= (COUNT_MAX if fields[name] == COUNT else MONEY_MAX)
        if not row.has_errors:
            assert set(row.values) == set(fields)
    for error in table.errors:
        assert error.message and VIETNAMESE.search(error.message), error


# A date format on a huge number (an "odd number format" or a hand-made sheet): openpyxl warns
# and reads the cell as an error value, which the reader refuses like any non-number.
DATE_OUT_OF_RANGE = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")

FUZZ = settings(
    max_examples=examples(120), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@DATE_OUT_OF_RANGE
@FUZZ
@given(data=st.data(), kind=st.sampled_from([TARGETS, RESULTS]))
def test_read_table_reads_any_workbook_or_refuses_it(data, kind):
    workbook = data.draw(workbooks(kind))
    try:
        table = read_table(workbook, kind)
    except WorkbookRefused as exc:
        event("refused: " + exc.message[:40])
        assert VIETNAMESE.search(exc.message), exc.message
        return
    event(f"read: {'errors' if table.errors else 'clean'}, {min(len(table.rows), 2)}+ rows")
    check_table(table, kind)


@settings(FUZZ, max_examples=examples(150))
@given(damage=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10**6)), kind=st.sampled_from([TARGETS, RESULTS]))
def test_damaged_bytes_are_refused_with_a_message(damage, cut, kind):
    original = f.results_sheet([["AAA", "A", *f.result_values()]]) if kind == RESULTS else f.sheet_bytes(
        [f.header(TARGETS), ["AAA", "A", *f.target_values()]]
    )
    data = bytearray(original)
    for position, byte in damage:
        data[position % len(data)] = byte
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    try:
        table = read_table(bytes(data), kind)
    except WorkbookRefused as exc:
        event(exc.message[:40])
        assert VIETNAMESE.search(exc.message), exc.message
        return
    check_table(table, kind)


def needs_zip_version_6_4(data: bytes) -> bytes:
    """One byte changed: the central directory's "version needed to extract" says 6.4."""
    damaged = bytearray(data)
    damaged[damaged.find(b"PK\x01\x02") + 6] = 64
    return bytes(damaged)


def test_a_zip_needing_a_newer_zip_version_is_refused(cast):
    data = needs_zip_version_6_4(f.results_sheet([["AAA", "A", *f.result_values()]]))
    preview = import_parse(kind=RESULTS, campaign=cast.campaign, period=cast.period1, data=data,
                           file_name="hong.xlsx")
    assert not preview.ok and "hỏng" in preview.errors[0].message


@FUZZ
@given(blob=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]))
def test_arbitrary_bytes_are_refused_with_a_message(blob, prefix):
    with pytest.raises(WorkbookRefused) as refused:
        read_table(prefix + blob, RESULTS)
    event(refused.value.message[:40])
    assert VIETNAMESE.search(refused.value.message)


def by_field(kind: str, values: list) -> dict:
    return dict(zip([c.field for c in xlsx.COLUMNS[kind]], values, strict=True))


# Well-formed workbooks run every time, whatever Hypothesis draws: the apply path is never skipped.
CLEAN_RESULTS = Drawn(
    RESULTS, "example",
    fill_template(RESULTS, {"AAA": by_field(RESULTS, f.result_values()),
                            "QLT": by_field(RESULTS, f.result_values(revenue="9.000.000.000.000"))}),
    {"AAA": by_field(RESULTS, f.result_values()),
     "QLT": by_field(RESULTS, f.result_values(revenue=9 * 10**12))},
)
CLEAN_TARGETS = Drawn(
    TARGETS, "example",
    fill_template(TARGETS, {"BBB": by_field(TARGETS, f.target_values(late_max="3,5"))}),
    {"BBB": by_field(TARGETS, f.target_values(late_max=Decimal("3.5")))},
)


@DATE_OUT_OF_RANGE
@FUZZ
@given(drawn=st.sampled_from([TARGETS, RESULTS]).flatmap(drawn_workbooks))
@example(drawn=CLEAN_RESULTS)
@example(drawn=CLEAN_TARGETS)
def test_import_parse_never_raises_and_a_clean_preview_applies(cast, drawn):
    kind, workbook = drawn.kind, drawn.data
    period = cast.period1 if kind == RESULTS else None
    preview = import_parse(kind=kind, campaign=cast.campaign, period=period, data=workbook,
                           file_name="fuzz.xlsx")
    for error in preview.errors:
        assert str(error) and VIETNAMESE.search(error.message), error
    if drawn.figures is not None:
        # Well formed: accepted, with exactly the figures written in it.
        assert preview.ok, [str(e) for e in preview.errors]
        assert {line.unit.code: line.values for line in preview.lines} == drawn.figures
    if not preview.ok:
        event(f"{drawn.source}: refused")
        return
    event(f"{drawn.source}: applied")
    assert preview.lines
    batch, _ = import_upload(user=cast.compiler, kind=kind, campaign=cast.campaign, period=period,
                             upload=workbook, file_name="fuzz.xlsx")
    if preview.warnings:  # another period's template, say: applied only once accepted
        with pytest.raises(ValidationError, match="cảnh báo"):
            import_apply(batch=batch, user=cast.compiler)
    applied = import_apply(batch=batch, user=cast.compiler, warnings_accepted=bool(preview.warnings))
    assert applied.ok
    model = Target if kind == TARGETS else Report
    for line in preview.lines:
        stored = model.objects.get(unit=line.unit, **({"campaign": cast.campaign} if kind == TARGETS else {"period": period}))
        for name, value in line.values.items():
            assert getattr(stored, name) == value, (line.unit.code, name)


def test_the_workbook_strategies_are_not_vacuous(cast):
    """The template the strategies fill is the cast's real one, and they do draw clean
    filled copies of it, which read without an error and import as they were written."""
    for kind in (TARGETS, RESULTS):
        period = cast.period1 if kind == RESULTS else None
        real = read_table(template_build(kind=kind, campaign=cast.campaign, period=period), kind)
        ours = read_table(cast_template(kind), kind)
        assert (ours.sheet, ours.header_row, ours.columns, ours.marker) == (
            real.sheet, real.header_row, real.columns, real.marker)
        assert [code for code, _ in CAST_UNITS] == [u.code for u in reporting_units()]

        drawn = find(drawn_workbooks(kind), lambda d: d.figures is not None and len(d.figures) >= 2,
                     # The first drawing that fits will do: shrinking it to the smallest
                     # would only make the check below weaker, and slower.
                     settings=settings(database=None, max_examples=200, phases=[Phase.generate]))
        table = read_table(drawn.data, kind)
        assert not table.errors, table.errors
        assert {row.code: row.values for row in table.rows} == drawn.figures
        preview = import_parse(kind=kind, campaign=cast.campaign, period=period, data=drawn.data)
        assert preview.ok and len(preview.lines) == len(drawn.figures)

    # And the real template, filled by hand, reads too.
    template = template_build(kind=RESULTS, campaign=cast.campaign, period=cast.period1)
    filled = f.fill(template, {"AAA": f.labelled(RESULTS, dict(zip(
        [c.field for c in xlsx.RESULT_COLUMNS], f.result_values(), strict=True)))})
    table = read_table(filled, RESULTS)
    assert [r.code for r in table.rows] == ["AAA"] and not table.errors
    assert math.isfinite(table.rows[0].values["revenue"])
