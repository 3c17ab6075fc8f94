"""Journey 4: the compiler's ranking page follows a queued roll-up by itself.

With a worker, the button only queues the roll-up; the page then asks the server every 2 s
(static/js/rollup_status.js) and reloads once the period is locked, so the compiler sees the
stored standings without pressing anything.
"""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from scoring.models import RollupRun, Snapshot
from scoring.runs import run_execute

pytestmark = pytest.mark.browser


def test_the_ranking_page_follows_a_queued_roll_up_and_shows_the_result_by_itself(
    page, live_server, cast, make_report, login, shot, console_errors,
):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, mandatory_actual=9_400, voluntary_actual=3_900,
                health_actual=99_000, revenue=240_000_000_000)
    # Queued, as the button leaves it when a worker is running: no worker takes it here.
    run = RollupRun.objects.create(period=cast.period1, triggered_by=cast.compiler,
                                   trigger=Snapshot.Trigger.MANUAL)
    polls: list[float] = []
    page.on("request", lambda request: polls.append(time.monotonic())
            if "/lan-tong-hop/" in request.url else None)

    login(page, "compiler")
    page.goto(live_server.url + reverse("scoring:ranking", args=[1]))
    expect(page.locator("#rollup-runs")).to_have_attribute("data-state", "active")
    shot(page, "ranking-roll-up-queued")
    page.wait_for_timeout(4_500)
    asked = len(polls)
    assert asked >= 2, f"the page asked {asked} times in 4,5 s"
    gaps = [later - earlier for earlier, later in zip(polls, polls[1:], strict=False)]
    assert all(gap >= 1.5 for gap in gaps), f"polled too often: {gaps}"

    expect(page.locator(".alert-warning", has_text="tạm tính")).to_be_visible()
    run_execute(run_id=run.pk)  # the worker picks it up and rolls the month up
    # Reloaded: the stored snapshot's banner replaces the provisional one.
    expect(page.locator(".alert-success", has_text="Đã tổng hợp và khóa sổ lúc")).to_be_visible(
        timeout=10_000)
    expect(page.locator(".alert-warning", has_text="tạm tính")).to_have_count(0)
    shot(page, "ranking-rolled-up-without-a-click")
    assert not console_errors
