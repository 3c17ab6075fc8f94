"""Numbers as Vietnamese readers write them: 5.000.000, 91,2 %, 3,5 %.

The one place for it: templates (units.templatetags.vn), explanations (rules.explain), Excel
messages and award texts all call these. A dot groups thousands, a comma marks decimals, a
space comes before "%". Standard library only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

# What a page shows for a value that is not there.
NOTHING = "–"

# Python writes "1,234.5"; Vietnamese reads "1.234,5": the two marks swap.
_VIETNAMESE_MARKS = str.maketrans(",.", ".,")


def _decimal(value) -> Decimal:
    # Through str, never through binary float arithmetic: 0.1 stays 0.1.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value, decimals: int = 0) -> str:
    """A number rounded once, half-up, to `decimals` places: 5000000 -> "5.000.000",
    Decimal("91.25") at one place -> "91,3"; "–" for nothing."""
    if value is None or value == "":
        return NOTHING
    return _written(_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def format_number_as_written(value) -> str:
    """A number with exactly the places it carries, nothing rounded: Decimal("1234.50") ->
    "1.234,50", 1234567 -> "1.234.567"; "–" for nothing."""
    if value is None or value == "":
        return NOTHING
    return _written(_decimal(value))


def _written(number: Decimal) -> str:
    if not number:
        number = abs(number)  # -0,0 would read as a sign that is not there
    return format(number, ",f").translate(_VIETNAMESE_MARKS)


def format_percent(value, decimals: int | None = None) -> str:
    """A value already in percent: Decimal("91.2") -> "91,2 %"; rounded to `decimals` places
    when given, otherwise with the places it carries; "–" for nothing."""
    if value is None or value == "":
        return NOTHING
    if decimals is None:
        return f"{format_number_as_written(value)} %"
    return f"{format_number(value, decimals)} %"


@lru_cache(maxsize=256)
def format_setting(value) -> str:
    """A threshold or ceiling as the campaign set it, without trailing zeros:
    Decimal("81.00") -> "81 %", Decimal("3.50") -> "3,5 %"; "–" for nothing. Cached: the
    explanations of a roll-up write the same few settings for unit after unit."""
    if value is None or value == "":
        return NOTHING
    number = _decimal(value).normalize()
    # normalize() writes 100 as 1E+2; quantizing to 1 brings the plain integer back.
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return format_percent(number)


def format_people(count: int) -> str:
    return f"{format_number(count)} người"


def format_money(amount: int) -> str:
    return f"{format_number(amount)} đồng"
