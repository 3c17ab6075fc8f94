"""Django's own vi locale prints 1234567 and reads 05/11/2025 as 11 May; ours must not."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.template import Context, Template
from django.utils import formats

from rules.formatting import format_number
from units.templatetags.vn import vn_official_date, vn_percent, vn_ratio


def render(text: str, **context) -> str:
    return Template("{% load vn %}" + text).render(Context(context))


def test_integers_render_with_dot_thousands_in_templates():
    assert render("{{ n }}", n=5_000_000) == "5.000.000"


def test_vn_number_groups_thousands_with_dots():
    assert format_number(5_000_000) == "5.000.000"
    assert format_number(6_500_000_000_000) == "6.500.000.000.000"
    assert format_number(-1234) == "-1.234"
    assert format_number(999) == "999"


def test_percent_shows_comma_decimal_and_space_before_sign():
    assert vn_percent(Decimal("91.2")) == "91,2 %"
    assert vn_percent(Decimal("81"), 0) == "81 %"


def test_ratio_rounds_half_up_once():
    assert vn_ratio(Fraction(8545, 10000)) == "85,5 %"
    assert vn_ratio(Fraction(912, 1000)) == "91,2 %"


def test_dates_render_day_first():
    assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=dt.date(2025, 11, 5)) == "05/11/2025"
    assert formats.date_format(dt.date(2025, 11, 5), "SHORT_DATE_FORMAT") == "05/11/2025"


def test_official_date_line_zero_pads_day_and_month():
    assert vn_official_date(dt.date(2025, 11, 5)) == "ngày 05 tháng 11 năm 2025"
    assert vn_official_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"


def test_date_field_reads_05_11_2025_as_5_november():
    field = forms.DateField()
    assert field.clean("05/11/2025") == dt.date(2025, 11, 5)


def test_localized_integer_field_accepts_dotted_thousands():
    field = forms.IntegerField(localize=True)
    assert field.clean("5.000.000") == 5_000_000


def test_localized_decimal_field_accepts_comma_decimal():
    field = forms.DecimalField(localize=True)
    assert field.clean("3,5") == Decimal("3.5")


def test_official_date_pads_only_months_one_and_two():
    assert vn_official_date(dt.date(2025, 3, 5)) == "ngày 05 tháng 3 năm 2025"
    assert vn_official_date(dt.date(2025, 2, 15)) == "ngày 15 tháng 02 năm 2025"


def test_a_percent_setting_shows_the_digits_it_has():
    from units.templatetags.vn import vn_setting

    assert vn_setting(Decimal("81.00")) == "81 %"
    assert vn_setting(Decimal("91.50")) == "91,5 %"
    assert vn_setting("100") == "100 %"


def test_ids_in_form_values_are_never_grouped(db):
    """USE_THOUSAND_SEPARATOR would print id 1234 as "1.234": a form posting it back fails."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        for match in re.finditer(r'(value|data-[a-z-]+)="\{\{ ([^}|]+?\.(pk|id|number)) \}\}"', path.read_text()):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []


def test_upload_limits_read_in_megabytes():
    from units.templatetags.vn import vn_megabytes

    assert vn_megabytes(5_242_880) == "5 MB"
    assert vn_megabytes(1_572_864) == "1,5 MB"
