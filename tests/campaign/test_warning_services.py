"""Plausibility warnings read from the database, and the compiler's acknowledgement
(campaign/plausibility.py, campaign.services.warning_acknowledge)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign.models import Period, Report, ReportEvent, Target, WarningAcknowledgement
from campaign.plausibility import period_warnings, report_warning_states
from campaign.services import report_return, report_save, warning_acknowledge

from ..conftest import create_report, report_figures


@pytest.fixture
def fell(cast):
    """Office A's November revenue below its submitted October one (P1)."""
    create_report(cast.period1, cast.office_a, revenue=230_000_000_000)
    return create_report(cast.periods[1], cast.office_a, revenue=220_000_000_000)


def _states(cast, report):
    return report_warning_states(period=report.period, unit=report.unit, report=report)


def _acknowledge(user, report, state, note="Đã kiểm tra với đơn vị: điều chỉnh giảm số thu"):
    return warning_acknowledge(user=user, report=report, key=state.warning.key,
                               fingerprint=state.warning.fingerprint, note=note)


def test_a_revenue_below_last_months_submitted_report_is_warned(cast, fell):
    (state,) = _states(cast, fell)
    assert state.is_open and state.warning.key == "cumulative_fell:revenue"
    assert "220.000.000.000 đồng thấp hơn Tháng 10/2025 (230.000.000.000 đồng)" in state.warning.message


def test_a_draft_left_in_last_month_is_not_the_units_word(cast):
    create_report(cast.period1, cast.office_a, status=Report.Status.DRAFT, revenue=230_000_000_000)
    report = create_report(cast.periods[1], cast.office_a, revenue=220_000_000_000)
    assert _states(cast, report) == []


def test_the_first_month_is_held_to_targets_and_the_provinces_plan_only(cast):
    report = create_report(cast.period1, cast.office_a, health_actual=320_000)
    keys = [s.warning.key for s in _states(cast, report)]
    assert keys == ["rate_above_bound:health_actual", "above_province_plan:health_actual"]


def test_without_the_provinces_own_target_its_plan_is_the_sum_of_the_units(cast):
    Target.objects.filter(unit=cast.qlt).delete()
    # three offices of 100.000 planned BHYT each: 300.000 for the province
    report = create_report(cast.period1, cast.office_a, health_actual=300_001, health_last_year=0)
    assert "above_province_plan:health_actual" in [s.warning.key for s in _states(cast, report)]
    assert "(300.000 người)" in _states(cast, report)[-1].warning.message


def test_the_compiler_acknowledges_a_warning_and_who_when_and_why_are_recorded(cast, fell):
    (state,) = _states(cast, fell)
    ack = _acknowledge(cast.compiler, fell, state)
    assert ack.by == cast.compiler and ack.at is not None and ack.evidence == state.warning.fingerprint
    assert ack.message == state.warning.message
    (after,) = _states(cast, fell)
    assert not after.is_open and after.acknowledgement == ack
    event = fell.events.get(action=ReportEvent.Action.ACKNOWLEDGED)
    assert event.actor == cast.compiler and "Lý do xác nhận: Đã kiểm tra với đơn vị" in event.note


@pytest.mark.parametrize("role", ["staff_a", "director", "appraiser", "finance"])
def test_no_one_but_the_compiler_may_acknowledge(cast, fell, role):
    (state,) = _states(cast, fell)
    with pytest.raises(PermissionDenied):
        _acknowledge(getattr(cast, role), fell, state)
    assert not WarningAcknowledgement.objects.exists()
    assert not fell.events.exists()


def test_an_acknowledgement_needs_a_reason(cast, fell):
    (state,) = _states(cast, fell)
    with pytest.raises(ValidationError, match="Phải ghi lý do"):
        _acknowledge(cast.compiler, fell, state, note="   ")
    assert not WarningAcknowledgement.objects.exists()


def test_a_later_change_of_the_figure_raises_the_warning_again(cast, fell):
    (state,) = _states(cast, fell)
    _acknowledge(cast.compiler, fell, state)
    report_return(user=cast.compiler, report=fell, reason="Kiểm tra lại số thu")
    fell.refresh_from_db()
    report_save(user=cast.staff_a, period=cast.periods[1], unit=cast.office_a,
                data=report_figures(revenue=210_000_000_000), expected_version=fell.version, submit=True)
    fell.refresh_from_db()
    (again,) = _states(cast, fell)
    assert again.is_open and "210.000.000.000 đồng" in again.warning.message


def test_a_change_of_last_months_figure_raises_it_again_too(cast, fell):
    (state,) = _states(cast, fell)
    _acknowledge(cast.compiler, fell, state)
    Report.objects.filter(period=cast.period1, unit=cast.office_a).update(revenue=231_000_000_000)
    (again,) = _states(cast, fell)
    assert again.is_open


def test_a_corrected_figure_makes_the_warning_disappear(cast, fell):
    report_return(user=cast.compiler, report=fell, reason="Số thu lũy kế giảm")
    fell.refresh_from_db()
    report_save(user=cast.staff_a, period=cast.periods[1], unit=cast.office_a,
                data=report_figures(revenue=240_000_000_000), expected_version=fell.version)
    fell.refresh_from_db()
    assert _states(cast, fell) == []


def test_acknowledging_from_a_stale_page_is_refused(cast, fell):
    (state,) = _states(cast, fell)
    Report.objects.filter(pk=fell.pk).update(revenue=225_000_000_000)
    with pytest.raises(ValidationError, match="không còn với số liệu hiện tại"):
        _acknowledge(cast.compiler, fell, state)
    assert not WarningAcknowledgement.objects.exists()


def test_acknowledging_twice_keeps_the_first(cast, fell):
    (state,) = _states(cast, fell)
    first = _acknowledge(cast.compiler, fell, state)
    second = _acknowledge(cast.compiler, fell, state, note="lần nữa")
    assert second == first and WarningAcknowledgement.objects.count() == 1
    assert fell.events.filter(action=ReportEvent.Action.ACKNOWLEDGED).count() == 1


def test_a_locked_months_warnings_cannot_be_acknowledged(cast, fell):
    (state,) = _states(cast, fell)
    Period.objects.filter(pk=cast.periods[1].pk).update(status=Period.Status.LOCKED)
    with pytest.raises(ValidationError, match="đã khóa sổ"):
        _acknowledge(cast.compiler, fell, state)


def test_the_periods_list_holds_every_unit_with_a_warning_and_its_state(cast, fell):
    create_report(cast.period1, cast.office_b)
    create_report(cast.periods[1], cast.office_b, late=20_000_000_000, due=240_000_000_000)
    create_report(cast.periods[1], cast.office_c)
    (state,) = _states(cast, fell)
    _acknowledge(cast.compiler, fell, state)
    reports = [(r.unit, r) for r in Report.objects.filter(period=cast.periods[1]).select_related("unit")
               .order_by("unit__code")]
    rows = period_warnings(cast.periods[1], reports)
    assert [(row.unit.code, row.open_count) for row in rows] == [("AAA", 0), ("BBB", 1)]
    assert rows[1].states[0].warning.key == "jump:late"


def test_a_roll_up_is_not_blocked_by_open_warnings(cast, fell):
    from scoring.services import period_rollup

    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    snapshot, created = period_rollup(period=cast.periods[1], user=cast.compiler)
    assert created and snapshot.period == cast.periods[1]
