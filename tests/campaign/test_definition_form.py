"""The edit page's form (campaign/definition_form.py) reads values as people type them and
hands them to the definition's own checks: the same errors, with the same keys, as a file."""

import datetime as dt
from decimal import Decimal

import pytest

from campaign.definition import load
from campaign.definition_form import DefinitionForm

from ..conftest import VN
from .test_definition import NEXT


def shown() -> dict:
    form = DefinitionForm.of(load(NEXT))
    cells = form.general + [c for row in form.prizes + form.periods for c in row.cells]
    return {c.name: c.value for c in cells}


def read(**changes) -> DefinitionForm:
    return DefinitionForm.read("NUOCRUT2030", shown() | changes)


def test_a_definition_shown_and_sent_back_unchanged_reads_as_the_same_definition():
    form = read()
    assert form.errors == [] and form.definition == load(NEXT)


@pytest.mark.parametrize("typed, amount", [("6.000.000", 6_000_000), ("6000000", 6_000_000),
                                           (" 6 000 000 ", 6_000_000), ("0", 0)])
def test_amounts_are_read_with_or_without_thousands_dots(typed, amount):
    assert read(**{"prizes-1-amount": typed}).definition.prizes[0].amount == amount


@pytest.mark.parametrize("typed", ["6.000.00", "6,5", "-1", "1e6", "sáu triệu", "６０００"])
def test_an_amount_that_is_not_a_whole_number_of_dong_is_an_error_on_its_key(typed):
    form = read(**{"prizes-1-amount": typed})
    assert form.definition is None
    assert form.errors == [f"prizes[1].amount: «{typed}» không phải số nguyên không âm; viết như 6.000.000."]


def test_percentages_take_a_decimal_comma_and_dates_a_vietnamese_order():
    form = read(**{"periods-1-participant_threshold": "72,5", "dispatch_date": "14/09/2030",
                   "periods-2-rollup_due": "06/11/2030 08:15"})
    assert form.errors == []
    assert form.definition.periods[0].participant_threshold == Decimal("72.5")
    assert form.definition.dispatch_date == dt.date(2030, 9, 14)
    assert form.definition.periods[1].rollup_due == dt.datetime(2030, 11, 6, 8, 15, tzinfo=VN)


def test_a_blank_row_is_dropped_and_the_rows_after_it_are_numbered_as_the_file_would():
    blank = {f"prizes-1-{key}": "" for key in ("key", "name", "count", "amount", "individuals")}
    form = read(**blank, **{"prizes-2-count": "x"})
    assert form.errors == ["prizes[1].count: «x» không phải số nguyên không âm; viết như 3."]
    row = form.prizes[1]
    assert row.number == 1 and row.cells[2].error.startswith("«x»")


def test_a_launch_not_after_the_given_day_is_said_with_the_other_errors():
    form = DefinitionForm.read("NUOCRUT2030", shown() | {"budget": ""},
                               launch_after=dt.date(2030, 9, 15))
    assert [e.split(":")[0] for e in form.errors] == ["budget", "launch_date"]


def test_a_dispatch_half_filled_names_the_half_missing():
    form = read(dispatch_number="")
    assert form.errors == ["dispatch.number: thiếu."]
    assert read(dispatch_number="", dispatch_date="").definition.dispatch_number == ""
