"""Fuzzing the data-entry forms: whatever a person types or a script posts,
the report and target forms never raise. Either the form is valid and the service saves
exactly what it cleaned, or it is invalid and every problem carries a Vietnamese message on
the field it concerns. Posting anything to the report page never answers a server error.
About half the report and target posts are well formed (so the save path runs), some have
one thing broken, the rest are arbitrary typing.

hypothesis and pytest-django: the `cast` fixture is built once per test function and shared
by its examples (hence the suppressed function-scoped-fixture health check); each example
starts by deleting what the previous one saved.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from campaign.forms import ReportForm, TargetForm
from campaign.models import Report, Target
from campaign.services import NO_ROW_VERSION, REPORT_FIELDS, TARGET_FIELDS, report_save, target_save
from campaign.xlsx import COUNT_MAX, MONEY_MAX

from ..conftest import examples, target_figures

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=examples(150), deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
    ],
)

# What people type, what spreadsheets paste and what scripts send.
TYPED = [
    "", " ", "\t", "0", "-0", "-1", "+5", "5-", "1.234.567", "1,234,567", "1.234,5", "12,5",
    "12.5", "3,50", "100", "100,00", "100,001", "100,01", "0,005", "99,99", "1 234", "1\u00a0234",
    "1_000", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
    "99999999999999999999999999", "1e5", "1E-2", "NaN", "nan", "Infinity", "-inf", "sNaN",
    "0x1F", "١٢٣", "１２３", "٣٫٥", "1..2", "..", ",", ".", "1.2.3", "1,2,3", "½", "²",
    "5.000.000 đồng", "12,5 %", "12,5%", "mười", "\x00", "1\x00", "<script>", "' OR 1=1 --",
    "9" * 400, "1" + "0" * 5000,
]


def vn_grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vn_decimal(d: Decimal) -> str:
    return str(d).replace(".", ",")


numberish = st.one_of(
    st.sampled_from(TYPED),
    st.integers(-(10**25), 10**25).map(str),
    st.integers(0, 10**20).map(vn_grouped),
    st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False).map(vn_decimal),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet="0123456789.,-+% \u00a0e", max_size=25),
    st.text(max_size=40),
)
typed = st.tuples(
    st.sampled_from(["", "", " ", "\t", "\u00a0"]), numberish, st.sampled_from(["", "", " ", "\n"]),
).map("".join)


def posted(fields) -> st.SearchStrategy[dict]:
    """Every field typed (each may also be left out), and a hidden version field."""
    values = {name: st.one_of(typed, typed, typed, st.none()) for name in fields}
    values["version"] = st.one_of(st.none(), typed, st.integers(-3, 10).map(str))
    return st.fixed_dictionaries(values).map(lambda d: {k: v for k, v in d.items() if v is not None})


# --- well-formed report posts -------------------------------------------------------------------
# Random typing alone almost never gives a valid report (eleven figures must all be whole,
# in range and consistent), so the save path would never run. These are posts a person
# would send: every figure a whole number in range, typed plain or grouped with dots,
# the cross-field rules of services.report_cross_field_errors kept, and a valid version.

MONEY_FIELDS = ("revenue", "nonpublic_revenue", "due", "late", "late_interest")

counts = st.one_of(st.integers(0, 200_000), st.integers(0, COUNT_MAX), st.sampled_from([0, COUNT_MAX]))
money = st.one_of(st.integers(0, 10**12), st.integers(0, MONEY_MAX), st.sampled_from([0, MONEY_MAX]))


@st.composite
def typed_whole(draw, n: int) -> str:
    """n as a person types it: plain or grouped with dots, maybe with space around it (also
    after dot groups: "1.000 " pasted from a spreadsheet, which forms.WholeNumberField keeps)."""
    text = vn_grouped(n) if draw(st.booleans()) else str(n)
    lead = draw(st.sampled_from(["", "", "", " ", "\t", "\u00a0"]))
    trail = draw(st.sampled_from(["", "", " ", "\n"]))
    return lead + text + trail


@st.composite
def report_figure_sets(draw) -> dict[str, int]:
    figures = {name: draw(money if name in MONEY_FIELDS else counts) for name in REPORT_FIELDS}
    # Cross-field rules: the part cannot exceed the whole.
    figures["nonpublic_revenue"] = draw(st.integers(0, figures["revenue"]))
    figures["late"] = draw(st.integers(0, figures["due"]))
    figures["late_interest"] = draw(st.integers(0, figures["late"]))
    return figures


versions = st.one_of(st.none(), st.just(""), st.integers(0, 10).map(str))


@st.composite
def well_formed_report_posts(draw) -> tuple[dict, dict]:
    """(what is posted, the figures it means)."""
    figures = draw(report_figure_sets())
    data = {name: draw(typed_whole(value)) for name, value in figures.items()}
    version = draw(versions)
    if version is not None:
        data["version"] = version
    return data, figures


@st.composite
def report_posts(draw) -> dict:
    """Well-formed posts (about half), well-formed ones with one thing broken, and anything."""
    source = draw(st.sampled_from(["well-formed"] * 11 + ["one thing broken"] * 3 + ["random"] * 6))
    event(f"post: {source}")
    if source == "random":
        return draw(posted(REPORT_FIELDS))
    data, figures = draw(well_formed_report_posts())
    if source == "one thing broken":
        name = draw(st.sampled_from([*REPORT_FIELDS, "version"]))
        how = draw(st.sampled_from(["typed", "left out", "negative", "too big", "part above whole"]))
        if how == "typed":
            data[name] = draw(typed)
        elif how == "left out":
            data.pop(name, None)
        elif how == "negative":
            data[name] = "-" + vn_grouped(draw(st.integers(1, 10**6)))
        elif how == "too big":
            data[name] = vn_grouped(MONEY_MAX + 1 if name in MONEY_FIELDS else COUNT_MAX + 1)
        elif figures["revenue"] < MONEY_MAX:
            data["nonpublic_revenue"] = vn_grouped(figures["revenue"] + 1)
        else:
            data["late_interest"] = vn_grouped(figures["late"] + 1) if figures["late"] < MONEY_MAX else "x"
    return data


# A unit's October report, as typed on the page (the cast's report_figures, grouped with dots).
VALID_REPORT_POST = {
    "mandatory_actual": "9.000", "voluntary_actual": "3.600", "health_actual": "95.000",
    "mandatory_last_year": "8.500", "voluntary_last_year": "3.300", "health_last_year": "93.000",
    "revenue": "230.000.000.000", "nonpublic_revenue": "90.000.000.000",
    "due": "240.000.000.000", "late": "6.000.000.000", "late_interest": "3.000.000.000",
}

SAME_FIGURES_POST = {name: "1.234.567" for name in REPORT_FIELDS}
# The explicit examples meant to be saved: checked to be, so the save path runs every time.
SAVED_EXAMPLES = [VALID_REPORT_POST, VALID_REPORT_POST | {"version": "0"},
                  SAME_FIGURES_POST | {"version": "0"}]


# --- well-formed target posts -------------------------------------------------------------------
# Random typing alone never gives a valid target either (nine figures, two of them percentages).
# services.validate_target_figures has no rule between two figures: each one present and not negative,
# the two percentages at most 100. The form adds the column limits: counts up to COUNT_MAX,
# revenue_plan up to MONEY_MAX, percentages with at most 2 decimals.

PERCENT_FIELDS = ("late_max", "late_interest_max")
SPACE_BEFORE = ["", "", "", " ", "\t", "\u00a0"]
SPACE_AFTER = ["", "", " ", "\n"]


@st.composite
def typed_percent(draw) -> tuple[str, Decimal]:
    """A percentage as a person types it ("3,5", "2", "100,00", " 0,25"), and what it means."""
    whole = draw(st.one_of(st.integers(0, 100), st.sampled_from([0, 100])))
    decimals = draw(st.text(alphabet="0123456789", max_size=2))
    if whole == 100:
        decimals = "0" * len(decimals)
    text = f"{whole},{decimals}" if decimals else str(whole)
    value = Decimal(f"{whole}.{decimals}" if decimals else whole)
    return draw(st.sampled_from(SPACE_BEFORE)) + text + draw(st.sampled_from(SPACE_AFTER)), value


@st.composite
def well_formed_target_posts(draw) -> tuple[dict, dict]:
    """(what is posted, the figures it means)."""
    data, figures = {}, {}
    for name in TARGET_FIELDS:
        if name in PERCENT_FIELDS:
            data[name], figures[name] = draw(typed_percent())
        else:
            figures[name] = draw(money if name == "revenue_plan" else counts)
            data[name] = draw(typed_whole(figures[name]))
    version = draw(versions)
    if version is not None:
        data["version"] = version
    return data, figures


@st.composite
def broken_target_posts(draw) -> tuple[dict, str, str]:
    """A well-formed target post with one thing broken: (post, the field broken, how)."""
    data, _ = draw(well_formed_target_posts())
    how = draw(st.sampled_from(["left out", "negative", "too big", "stray dot", "too many decimals", "typed"]))
    names = {
        "negative": [*TARGET_FIELDS, "version"], "typed": [*TARGET_FIELDS, "version"],
        "stray dot": [name for name in TARGET_FIELDS if name not in PERCENT_FIELDS],
        "too many decimals": PERCENT_FIELDS,
    }.get(how, TARGET_FIELDS)
    name = draw(st.sampled_from(names))
    if how == "typed":
        data[name] = draw(typed)
    elif how == "left out":
        if draw(st.booleans()):
            del data[name]
        else:
            data[name] = draw(st.sampled_from(["", " ", "\t"]))
    elif how == "negative":
        if name == "version":
            data[name] = str(-draw(st.integers(1, 3)))
        elif name in PERCENT_FIELDS:
            data[name] = "-" + draw(typed_percent().filter(lambda t: t[1] > 0))[0].strip()
        else:
            data[name] = "-" + vn_grouped(draw(st.integers(1, 10**6)))
    elif how == "too big":
        if name in PERCENT_FIELDS:
            data[name] = draw(st.sampled_from(["100,01", "100,5", "101", "1000", "1.234,5"]))
        else:
            data[name] = vn_grouped((MONEY_MAX if name == "revenue_plan" else COUNT_MAX) + 1)
    elif how == "too many decimals":
        data[name] = f"{draw(st.integers(0, 99))},{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 9))}"
    else:  # a dot that does not group three digits: "1.00", "12.5", "3.1415"
        digits = draw(st.sampled_from([1, 2, 4]))
        data[name] = f"{draw(st.integers(1, 999))}.{draw(st.integers(0, 10**digits - 1)):0{digits}d}"
    return data, name, how


@st.composite
def target_posts(draw) -> dict:
    """Well-formed posts (about 55 %), well-formed ones with one thing broken (15 %), and
    anything (30 %)."""
    source = draw(st.sampled_from(["well-formed"] * 11 + ["one thing broken"] * 3 + ["random"] * 6))
    event(f"post: {source}")
    if source == "random":
        return draw(posted(TARGET_FIELDS))
    if source == "one thing broken":
        return draw(broken_target_posts())[0]
    return draw(well_formed_target_posts())[0]


# A unit's target as typed on the page (the cast's target_figures, grouped with dots).
VALID_TARGET_POST = {
    "mandatory_plan": "9.500", "mandatory_base": "8.500", "voluntary_plan": "4.000",
    "voluntary_base": "3.000", "health_plan": "100.000", "health_base": "90.000",
    "revenue_plan": "260.000.000.000", "late_max": "3,5", "late_interest_max": "2",
}
# Every figure at its limit, pasted with spaces around it.
LIMITS_TARGET_POST = {name: " 2.147.483.647 " for name in TARGET_FIELDS} | {
    "revenue_plan": "9.223.372.036.854.775.807\n", "late_max": " 100,00", "late_interest_max": "0 ",
}
# The explicit target examples meant to be saved: checked to be, so the save path runs every time.
SAVED_TARGET_EXAMPLES = [VALID_TARGET_POST, VALID_TARGET_POST | {"version": ""},
                         LIMITS_TARGET_POST | {"version": "0"}]


VIETNAMESE = re.compile(r"[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)
ENGLISH = re.compile(r"\b(Enter|Ensure|This field|is required|valid|number)\b")


def assert_vietnamese_errors(form) -> None:
    assert form.errors, "an invalid form must say why"
    for field, messages in form.errors.items():
        assert field in form.fields or field == "__all__", field
        assert messages, field
        for message in messages:
            assert VIETNAMESE.search(message) and not ENGLISH.search(message), (field, message)


def cleaned_figures(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in fields}


COUNT_FIELDS = {
    "mandatory_actual", "voluntary_actual", "health_actual", "mandatory_last_year",
    "voluntary_last_year", "health_last_year", "mandatory_plan", "mandatory_base",
    "voluntary_plan", "voluntary_base", "health_plan", "health_base",
}


def check_ranges(figures: dict) -> None:
    """What the form accepts fits the database on every backend, and the Excel importer's
    limits (campaign.xlsx): the same figure is not refused on one path and taken on another."""
    for name, value in figures.items():
        assert value is not None and value >= 0, (name, value)
        if isinstance(value, Decimal):
            assert value.is_finite() and value <= 100 and value.as_tuple().exponent >= -2, (name, value)
        else:
            assert value <= (COUNT_MAX if name in COUNT_FIELDS else MONEY_MAX), (name, value)


@FUZZ
@given(data=report_posts())
@example(data={name: "2.147.483.648" for name in REPORT_FIELDS})  # above a 32-bit count
@example(data={name: "9.223.372.036.854.775.808" for name in REPORT_FIELDS})  # above 64 bits
@example(data=SAME_FIGURES_POST | {"version": "0"})  # valid: saved
@example(data=SAME_FIGURES_POST | {"version": "-1"})  # refused: a negative version
@example(data=VALID_REPORT_POST)  # valid: saved
def test_report_form_saves_what_it_accepts_or_says_why_in_vietnamese(cast, data):
    Report.objects.all().delete()
    form = ReportForm(data)
    assert form.is_valid() or data not in SAVED_EXAMPLES, form.errors
    if not form.is_valid():
        event("form: invalid, says why")
        assert_vietnamese_errors(form)
        for name in REPORT_FIELDS:
            if not (data.get(name) or "").strip():
                assert name in form.errors, f"{name} left empty but accepted"
        return
    event("form: valid, saved")
    figures = cleaned_figures(form, REPORT_FIELDS)
    check_ranges(figures)
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=figures, expected_version=NO_ROW_VERSION)
    report.refresh_from_db()
    assert {name: getattr(report, name) for name in REPORT_FIELDS} == figures


@settings(FUZZ, max_examples=examples(100))
@given(post=well_formed_report_posts())
def test_a_well_formed_report_post_is_accepted_as_typed(post):
    """The well-formed posts above are what they claim: the form takes every one of them,
    with exactly the figures that were typed (so the save path of the fuzz tests runs)."""
    data, figures = post
    form = ReportForm(data)
    assert form.is_valid(), form.errors
    assert cleaned_figures(form, REPORT_FIELDS) == figures


@FUZZ
@given(data=target_posts())
@example(data={name: "2.147.483.648" for name in TARGET_FIELDS} | {"late_max": "3,5", "late_interest_max": "2"})
@example(data={name: "1" for name in TARGET_FIELDS} | {"late_max": "100,001"})
@example(data={name: "1" for name in TARGET_FIELDS} | {"late_interest_max": "1e2"})
@example(data=VALID_TARGET_POST)  # valid: saved
@example(data=VALID_TARGET_POST | {"version": ""})  # valid: saved
@example(data=LIMITS_TARGET_POST | {"version": "0"})  # valid: saved
def test_target_form_saves_what_it_accepts_or_says_why_in_vietnamese(cast, data):
    Target.objects.filter(unit=cast.office_a).delete()
    form = TargetForm(data)
    assert form.is_valid() or data not in SAVED_TARGET_EXAMPLES, form.errors
    if not form.is_valid():
        event("form: invalid, says why")
        assert_vietnamese_errors(form)
        for name in TARGET_FIELDS:
            if not (data.get(name) or "").strip():
                assert name in form.errors, f"{name} left empty but accepted"
        return
    event("form: valid, saved")
    figures = cleaned_figures(form, TARGET_FIELDS)
    check_ranges(figures)
    target = target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a, data=figures, expected_version=NO_ROW_VERSION)
    target.refresh_from_db()
    assert {name: getattr(target, name) for name in TARGET_FIELDS} == figures


@settings(FUZZ, max_examples=examples(100))
@given(post=well_formed_target_posts())
def test_a_well_formed_target_post_is_accepted_as_typed(post):
    """The well-formed target posts are what they claim: accepted, with the figures typed."""
    data, figures = post
    form = TargetForm(data)
    assert form.is_valid(), form.errors
    assert cleaned_figures(form, TARGET_FIELDS) == figures


@settings(FUZZ, max_examples=examples(100))
@given(post=broken_target_posts())
def test_a_target_post_with_one_thing_broken_is_refused_on_that_field(post):
    """The broken ones are refused, on the field broken (random typing may happen to be valid)."""
    data, name, how = post
    event(f"broken: {how}")
    form = TargetForm(data)
    # A broken version is said for the whole form: its field is hidden (campaign/forms.py).
    where = "__all__" if name == "version" else name
    if how != "typed":
        assert not form.is_valid() and where in form.errors, (name, how, data.get(name), form.errors)


# --- the page -----------------------------------------------------------------------------------

junk_keys = st.dictionaries(
    st.text(min_size=1, max_size=12), st.text(max_size=20), max_size=3,
)


@settings(FUZZ, max_examples=examples(80))
@given(
    data=report_posts(), button=st.sampled_from([{"save": "1"}, {"submit": "1", "confirm": "1"}, {}]),
    extra=junk_keys,
)
@example(data={name: "9" * 400 for name in REPORT_FIELDS}, button={"save": "1"}, extra={})
@example(data=VALID_REPORT_POST, button={"save": "1"}, extra={})  # no version: refused, 200
@example(data={name: "2.147.483.648" for name in REPORT_FIELDS}, button={"submit": "1", "confirm": "1"}, extra={})
@example(data=VALID_REPORT_POST | {"version": "0"}, button={"submit": "1", "confirm": "1"}, extra={})  # submitted: 302
def test_posting_anything_to_the_report_page_never_answers_a_server_error(client, cast, data, button, extra):
    Report.objects.all().delete()
    client.force_login(cast.staff_a)
    url = reverse("campaign:report_edit", args=[cast.period1.number, cast.office_a.code])
    body = extra | data | button
    response = client.post(url, body)
    assert response.status_code in (200, 302), response.status_code
    form = ReportForm(body)
    valid = form.is_valid()
    event(f"page: {response.status_code}")
    # The period is open and the unit has no report: a valid post from a page opened so
    # (version 0) is saved; one without a version, or naming a report that does not exist,
    # and anything else is answered with the form and its messages.
    saved = valid and form.cleaned_data["version"] == 0
    assert response.status_code == (302 if saved else 200), (response.status_code, form.errors)
    assert saved or data not in SAVED_EXAMPLES[1:]
    if response.status_code == 302:
        # Acknowledged: the report is there with what the form cleaned.
        report = Report.objects.get(period=cast.period1, unit=cast.office_a)
        assert {name: getattr(report, name) for name in REPORT_FIELDS} == cleaned_figures(form, REPORT_FIELDS)
        assert report.is_submitted == ("submit" in body)


@settings(FUZZ, max_examples=examples(50))
@given(data=target_posts(), extra=junk_keys)
@example(data={name: "9" * 400 for name in TARGET_FIELDS}, extra={})
@example(data=VALID_TARGET_POST, extra={})  # no version: refused, 200
@example(data=VALID_TARGET_POST | {"version": "1"}, extra={})  # saved over version 1: 302
@example(data=VALID_TARGET_POST | {"version": "0"}, extra={})  # stale page: 200, not saved
def test_posting_anything_to_the_target_page_never_answers_a_server_error(client, cast, data, extra):
    # Each example starts from the unit's target as the cast made it (version 1).
    Target.objects.filter(unit=cast.office_a).delete()
    Target.objects.create(campaign=cast.campaign, unit=cast.office_a, **target_figures())
    client.force_login(cast.compiler)
    url = reverse("campaign:target_edit", args=[cast.office_a.code])
    body = extra | data
    response = client.post(url, body)
    assert response.status_code in (200, 302), response.status_code
    form = TargetForm(body)
    valid = form.is_valid()
    event(f"page: {response.status_code}")
    # A valid post from a page showing version 1 is saved; a valid post from an older page,
    # or one that does not say which version it showed, is refused, and anything else is
    # answered with the form and its messages.
    current = valid and form.cleaned_data["version"] == 1
    assert response.status_code == (302 if current else 200), (response.status_code, form.errors)
    assert current or data != VALID_TARGET_POST | {"version": "1"}
    target = Target.objects.get(campaign=cast.campaign, unit=cast.office_a)
    expected = cleaned_figures(form, TARGET_FIELDS) if current else target_figures()
    assert {name: getattr(target, name) for name in TARGET_FIELDS} == expected


# --- the known bugs, shown ---------------------------------------------------------------------

def valid_target_post(**overrides) -> dict:
    data = {name: "1.000" for name in TARGET_FIELDS} | {"late_max": "3,5", "late_interest_max": "2"}
    return data | overrides


@pytest.mark.parametrize("late_max", ["1000", "1.234,5", "-12345"])
def test_a_percentage_out_of_range_gets_a_message(db, late_max):
    form = TargetForm(valid_target_post(late_max=late_max))
    assert not form.is_valid()
    assert form.errors["late_max"] == ["Tỷ lệ phải trong khoảng 0–100 %."]


def test_the_target_page_answers_a_percentage_over_100_with_a_message(client, cast):
    client.force_login(cast.compiler)
    url = reverse("campaign:target_edit", args=[cast.office_a.code])
    response = client.post(url, valid_target_post(late_max="1000"))
    assert response.status_code == 200
    assert "Tỷ lệ phải trong khoảng 0–100 %" in response.content.decode()


@pytest.mark.parametrize("form_class, fields", [(ReportForm, REPORT_FIELDS), (TargetForm, TARGET_FIELDS)])
def test_a_count_above_the_limit_is_refused_by_the_form(db, form_class, fields):
    data = {name: "1.000" for name in fields} | {"late_max": "3,5", "late_interest_max": "2"}
    name = sorted(COUNT_FIELDS & set(fields))[0]
    form = form_class(data | {name: "2.147.483.648"})
    assert not form.is_valid()
    assert form.errors[name] == ["Số quá lớn."]
