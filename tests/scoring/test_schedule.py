"""The schedule: beat's entries are explicit crontabs in Vietnam time, and the tick's selection
(`periods_due`) picks each period on its due day, catches up missed ticks, and nothing else.

The clock is moved with time_machine; the tick itself runs in-process (eager)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from campaign.models import Period
from config.celery_app import app as celery_app
from scoring.models import RollupRun, Snapshot
from scoring.runs import periods_due
from scoring.services import period_reopen, period_rollup
from scoring.tasks import rollup_due_periods

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def due_numbers() -> list[int]:
    return [p.number for p in periods_due(now=timezone.now())]


# --- beat's entries ---------------------------------------------------------------------------

def test_celery_runs_in_vietnam_time():
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    assert celery_app.conf.timezone == "Asia/Ho_Chi_Minh"


def test_every_beat_entry_is_a_crontab_with_minute_and_hour_spelled_out():
    # crontab() defaults minute and hour to "*": crontab(day_of_month=5) fires 1440 times that day.
    celery_app.loader.import_default_modules()  # what a worker does at start: find the tasks
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        assert isinstance(schedule, crontab), name
        assert schedule._orig_minute != "*", f"{name}: minute left at its every-minute default"
        assert entry["task"] in celery_app.tasks, name


def test_the_rollup_tick_runs_every_five_minutes_all_day():
    tick = settings.CELERY_BEAT_SCHEDULE["rollup-due-periods"]["schedule"]
    assert tick.minute == set(range(0, 60, 5)) and tick.hour == set(range(24))
    assert settings.CELERY_BEAT_SCHEDULE["rollup-due-periods"]["task"] == "scoring.tasks.rollup_due_periods"


def test_the_reminder_runs_once_a_day_at_eight_vietnam_time():
    daily = settings.CELERY_BEAT_SCHEDULE["remind-unsubmitted-reports"]["schedule"]
    assert daily.minute == {0} and daily.hour == {8}
    last_run = at(2025, 11, 1, 8, 0)
    with time_machine.travel(at(2025, 11, 2, 7, 59), tick=False):
        is_due, next_in = daily.is_due(last_run)
        assert not is_due and next_in == pytest.approx(60, abs=1)
    with time_machine.travel(at(2025, 11, 2, 8, 0, 5), tick=False):
        assert daily.is_due(last_run).is_due
    # 08:00 in Hà Nội is 01:00 UTC: the crontab is not read in UTC.
    with time_machine.travel(dt.datetime(2025, 11, 2, 8, 0, 5, tzinfo=dt.UTC), tick=False):
        assert not daily.is_due(at(2025, 11, 2, 8, 0)).is_due


# --- what a tick picks ------------------------------------------------------------------------

def test_each_period_is_picked_on_its_due_day_and_nothing_on_other_days(cast, django_capture_on_commit_callbacks):
    picked = {}
    day = dt.date(2025, 10, 20)
    while day <= dt.date(2026, 1, 20):
        with time_machine.travel(at(day.year, day.month, day.day, 7, 5), tick=False):
            selected = due_numbers()
            with django_capture_on_commit_callbacks(execute=True):
                run_ids = rollup_due_periods.delay().get()
            assert [RollupRun.objects.get(pk=r).period.number for r in run_ids] == selected
        if selected:
            picked[day] = selected
        day += dt.timedelta(days=1)
    assert picked == {dt.date(2025, 11, 5): [1], dt.date(2025, 12, 5): [2], dt.date(2026, 1, 5): [3]}
    snapshots = Snapshot.objects.order_by("period__number")
    assert [(s.period.number, s.trigger, s.created_by) for s in snapshots] == [
        (1, "schedule", None), (2, "schedule", None), (3, "schedule", None)]
    assert [timezone.localtime(s.created_at) for s in snapshots] == [
        at(2025, 11, 5, 7, 5), at(2025, 12, 5, 7, 5), at(2026, 1, 5, 7, 5)]
    assert RollupRun.objects.filter(state="done", created_snapshot=True).count() == 3
    assert RollupRun.objects.count() == 3


@pytest.mark.parametrize("number, due", [(1, (2025, 11, 5)), (2, (2025, 12, 5)), (3, (2026, 1, 5))])
def test_a_period_becomes_due_at_seven_vietnam_time(cast, number, due):
    for earlier in Period.objects.filter(number__lt=number):
        period_rollup(period=earlier, trigger="command")
    with time_machine.travel(at(*due, 6, 59, 59), tick=False):
        assert due_numbers() == []
    with time_machine.travel(at(*due, 7, 0), tick=False):
        assert due_numbers() == [number]


def test_a_tick_missed_while_beat_or_redis_was_down_is_caught_up(cast):
    with time_machine.travel(at(2025, 11, 9, 10, 17), tick=False):
        assert due_numbers() == [1]
    with time_machine.travel(at(2025, 12, 20, 0, 3), tick=False):
        assert due_numbers() == [1, 2]


def test_the_due_time_edited_in_the_admin_is_the_one_used(cast):
    Period.objects.filter(pk=cast.period1.pk).update(rollup_due_at=at(2025, 11, 4, 16, 30))
    with time_machine.travel(at(2025, 11, 4, 16, 29), tick=False):
        assert due_numbers() == []
    with time_machine.travel(at(2025, 11, 4, 16, 30), tick=False):
        assert due_numbers() == [1]


def test_a_period_rolled_up_by_hand_before_its_due_time_is_not_picked(cast):
    with time_machine.travel(at(2025, 11, 3, 15, 0), tick=False):
        period_rollup(period=cast.period1, user=cast.compiler)
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        assert due_numbers() == []


def test_a_reopened_period_waits_for_the_compiler_instead_of_being_locked_again(cast):
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        period_rollup(period=cast.period1, trigger="command")
        period_reopen(period=cast.period1, user=cast.compiler, reason="BBB sửa số thu")
    with time_machine.travel(at(2025, 11, 5, 7, 5), tick=False):
        assert due_numbers() == []


def test_a_period_with_a_run_in_progress_is_not_queued_again(cast):
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        RollupRun.objects.create(period=cast.period1, trigger="schedule")
    with time_machine.travel(at(2025, 11, 5, 7, 5), tick=False):
        assert due_numbers() == []


def test_a_run_lost_for_longer_than_the_wait_is_failed_and_the_period_queued_afresh(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        lost = RollupRun.objects.create(period=cast.period1, trigger="schedule")
    later = at(2025, 11, 5, 7, 0) + dt.timedelta(minutes=settings.ROLLUP_SCHEDULE_WAIT_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        run_ids = rollup_due_periods.delay().get()
    lost.refresh_from_db()
    assert lost.state == "failed" and "Không hoàn thành" in lost.message
    assert len(run_ids) == 1 and RollupRun.objects.get(pk=run_ids[0]).created_snapshot


def test_after_a_failed_run_the_schedule_waits_before_trying_again(cast):
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        RollupRun.objects.create(period=cast.period1, trigger="schedule", state="failed",
                                 finished_at=timezone.now(), message="chưa có chỉ tiêu")
    with time_machine.travel(at(2025, 11, 5, 7, 25), tick=False):
        assert due_numbers() == []
    with time_machine.travel(at(2025, 11, 5, 7, 35), tick=False):
        assert due_numbers() == [1]


def test_a_second_tick_finds_nothing_left_to_do(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2025, 11, 5, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert len(rollup_due_periods.delay().get()) == 1
    with time_machine.travel(at(2025, 11, 5, 7, 5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert rollup_due_periods.delay().get() == []
    assert Snapshot.objects.count() == 1 and RollupRun.objects.count() == 1


@pytest.mark.django_db
def test_a_campaign_still_to_start_is_never_rolled_up_by_the_schedule(cast):
    # A month whose due time comes before the launch (dates set oddly): nothing was reported.
    from campaign.models import Campaign

    Campaign.objects.filter(pk=cast.campaign.pk).update(launch_date=dt.date(2025, 11, 10))
    with time_machine.travel(at(2025, 11, 5, 7, 5), tick=False):
        assert due_numbers() == []
        assert rollup_due_periods() == []
    Campaign.objects.filter(pk=cast.campaign.pk).update(launch_date=dt.date(2025, 10, 1))
    with time_machine.travel(at(2025, 11, 5, 7, 5), tick=False):
        assert due_numbers() == [1]
