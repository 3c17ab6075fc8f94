"""A locked period's definition is read-only on every path; periods follow one another."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import Period
from scoring.services import period_reopen, period_rollup


@pytest.fixture
def locked(cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b)
    period_rollup(period=cast.period1, user=cast.compiler)
    cast.period1.refresh_from_db()
    assert cast.period1.is_locked
    return cast


def _definition(period: Period) -> tuple:
    period = Period.objects.get(pk=period.pk)
    return tuple(getattr(period, f) for f in Period.FROZEN_WHEN_LOCKED)


def _admin_post(period: Period, **changes) -> dict:
    data = {
        "campaign": str(period.campaign_id), "number": str(period.number), "name": period.name,
        "first_day": f"{period.first_day:%d/%m/%Y}", "last_day": f"{period.last_day:%d/%m/%Y}",
        "participant_threshold": str(period.participant_threshold),
        "revenue_threshold": str(period.revenue_threshold),
        "rollup_due_at_0": "05/11/2025", "rollup_due_at_1": "07:00:00",
    }
    return data | changes


def test_the_admin_cannot_redefine_a_locked_period(client, locked):
    """The attack as reported: last day 30/11/2025 and thresholds 99 for locked October."""
    before = _definition(locked.period1)
    client.force_login(locked.admin)
    url = reverse("admin:campaign_period_change", args=[locked.period1.pk])
    page = client.get(url).content.decode()
    assert 'name="last_day"' not in page and 'name="participant_threshold"' not in page
    client.post(url, _admin_post(locked.period1, last_day="30/11/2025",
                                 participant_threshold="99", revenue_threshold="99"))
    assert _definition(locked.period1) == before


@pytest.mark.parametrize("field, value", [
    ("last_day", dt.date(2025, 11, 30)), ("first_day", dt.date(2025, 9, 30)),
    ("participant_threshold", Decimal("99")), ("revenue_threshold", Decimal("99")),
    ("name", "Tháng 10 và 11/2025"), ("number", 9),
])
def test_no_save_path_changes_a_locked_periods_definition(locked, field, value):
    """A command, a service or a shell saves through the model: refused there too, and
    full_clean (the admin's forms, the campaign's inline) says why, field by field."""
    period = Period.objects.get(pk=locked.period1.pk)
    setattr(period, field, value)
    with pytest.raises(ValidationError, match="đã khóa sổ") as error:
        period.full_clean()
    assert field in error.value.message_dict
    with pytest.raises(ValidationError, match="đã khóa sổ"):
        period.save()
    assert getattr(Period.objects.get(pk=period.pk), field) != value


def test_the_roll_up_and_a_reopen_still_move_the_status(locked):
    period_reopen(period=locked.period1, user=locked.compiler, reason="Sửa số liệu BBB")
    period = Period.objects.get(pk=locked.period1.pk)
    assert not period.is_locked
    period.participant_threshold = Decimal("82")  # open again: its definition may be corrected
    period.full_clean()
    period.save()
    assert Period.objects.get(pk=period.pk).participant_threshold == Decimal("82")


def test_periods_of_a_campaign_may_not_overlap(cast):
    november = Period.objects.get(pk=cast.periods[1].pk)
    november.first_day = dt.date(2025, 10, 15)
    with pytest.raises(ValidationError, match="Trùng thời gian với Tháng 10/2025"):
        november.full_clean()


def test_periods_of_a_campaign_may_not_leave_a_gap(cast):
    december = Period.objects.get(pk=cast.periods[2].pk)
    december.first_day = dt.date(2025, 12, 5)
    with pytest.raises(ValidationError, match="ngay sau Tháng 11/2025") as error:
        december.full_clean()
    assert "first_day" in error.value.message_dict
    november = Period.objects.get(pk=cast.periods[1].pk)
    november.last_day = dt.date(2025, 11, 28)
    with pytest.raises(ValidationError, match="ngay trước Tháng 12/2025"):
        november.full_clean()


def test_the_admin_refuses_an_open_period_that_overlaps_another(client, cast):
    client.force_login(cast.admin)
    november = cast.periods[1]
    url = reverse("admin:campaign_period_change", args=[november.pk])
    response = client.post(url, _admin_post(november, first_day="15/10/2025",
                                            rollup_due_at_0="05/12/2025"))
    assert response.status_code == 200
    assert "Trùng thời gian" in response.content.decode()
    assert Period.objects.get(pk=november.pk).first_day == dt.date(2025, 11, 1)


def test_consecutive_periods_are_accepted(cast):
    for period in Period.objects.filter(campaign=cast.campaign):
        period.full_clean()
