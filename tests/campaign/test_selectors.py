"""Which campaign the pages serve (campaign.selectors.current_campaign): one at a time."""

import datetime as dt
from decimal import Decimal

import time_machine

from campaign.models import Campaign, Period
from campaign.selectors import current_campaign

from ..conftest import VN


def next_years_campaign(launch: dt.date) -> Campaign:
    campaign = Campaign.objects.create(
        code="TEST2026", name="Thi đua 2026", year=2026, launch_date=launch,
        end_date=dt.date(2026, 3, 31),
    )
    Period.objects.create(
        campaign=campaign, number=1, name="Tháng 01/2026", first_day=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 1, 31), participant_threshold=Decimal("81"),
        revenue_threshold=Decimal("81"), rollup_due_at=dt.datetime(2026, 2, 5, 7, 0, tzinfo=VN),
    )
    return campaign


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN), tick=False)


def test_a_campaign_set_up_before_its_launch_does_not_replace_the_running_one(cast):
    next_years_campaign(launch=dt.date(2026, 1, 1))
    with at(dt.date(2025, 12, 10)):
        assert current_campaign() == cast.campaign


def test_the_old_campaign_is_served_until_its_last_month_is_rolled_up(cast):
    new = next_years_campaign(launch=dt.date(2026, 1, 1))
    Period.objects.filter(campaign=cast.campaign, number__in=[1, 2]).update(status=Period.Status.LOCKED)
    with at(dt.date(2026, 1, 3)):  # both launched; December is still being reported
        assert current_campaign() == cast.campaign
        Period.objects.filter(campaign=cast.campaign).update(status=Period.Status.LOCKED)
        assert current_campaign() == new


def test_with_every_month_locked_the_newest_launched_campaign_is_served(cast):
    new = next_years_campaign(launch=dt.date(2026, 1, 1))
    Period.objects.update(status=Period.Status.LOCKED)
    with at(dt.date(2026, 6, 1)):
        assert current_campaign() == new


def test_a_campaign_not_launched_yet_is_served_when_there_is_no_other(db):
    campaign = next_years_campaign(launch=dt.date(2026, 1, 1))
    with at(dt.date(2025, 12, 1)):
        assert current_campaign() == campaign
    assert Campaign.objects.count() == 1
