"""One cell of an uploaded workbook to the number its column needs: counts and amounts as
whole numbers, percentages as Decimals, typed the way offices type them."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from rules.formatting import format_number

from .columns import COUNT, COUNT_MAX, MONEY_MAX, PERCENT, PERCENT_PLACES, SPACES

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
    body = SPACES.sub("", text)
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
        raise CellValueError(f"Số quá lớn (tối đa {format_number(limit)}).")
    return int(number)


def parse_code(value) -> str:
    """A unit code cell: text as typed; a number typed into it loses nothing but its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


