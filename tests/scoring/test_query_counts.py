"""The roll-up, the ranking pages, the dashboard, a unit's panel, the public board, the home page
and the results import send the same number of SQL queries for a campaign of 5 local offices and
of 50: a count that grows with the units (a query per unit, an N+1) fails here. Times are not
tested; they are the benchmark's (`manage.py bench`).

Both campaigns come from the benchmark's builder (perf/province.py), with 5 offices that pass
every criterion, so that both fill the prize ladder and differ only in size.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.imports import import_results_apply, import_upload
from campaign.scope import campaign_urls
from campaign.xlsx import RESULTS
from perf.province import build_campaign, results_file
from scoring.models import Snapshot
from scoring.rollup import build_rollup
from scoring.services import period_rollup

SMALL, LARGE = 5, 50
PASSING = 5  # the prize ladder: 1 first, 1 second, 3 third


def _rollup_in_savepoint(period):
    with transaction.atomic():
        snapshot, created = period_rollup(period=period, trigger=Snapshot.Trigger.COMMAND)
        assert created
        transaction.set_rollback(True)


def _get(client, url):
    def action():
        response = client.get(url)
        assert response.status_code == 200, url
    return action


def _actions(bench, months_rolled_up: bool) -> dict:
    director, compiler = Client(), Client()
    director.force_login(bench.director)
    compiler.force_login(bench.compiler)
    p3 = bench.period(3)
    with campaign_urls(bench.campaign):
        urls = {"ranking_open": reverse("scoring:ranking", args=[3]),
                "ranking_locked": reverse("scoring:ranking", args=[2]),
                "dashboard": reverse("dashboard:dashboard"),
                "dashboard_export": reverse("dashboard:export") + "?ky=3&loai=all",
                "unit_panel": reverse("dashboard:unit_panel", args=[bench.offices[0].code]),
                "board": reverse("dashboard:board"),
                "home": reverse("home")}
    actions = {
        "build_rollup": lambda: build_rollup(p3),
        "period_rollup": lambda: _rollup_in_savepoint(p3),
        "ranking_open": _get(compiler, urls["ranking_open"]),
        "dashboard": _get(director, urls["dashboard"]),
        "dashboard_export": _get(director, urls["dashboard_export"]),
        "unit_panel": _get(director, urls["unit_panel"]),
        "board": _get(director, urls["board"]),
        "home_compiler": _get(compiler, urls["home"]),
        "home_director": _get(director, urls["home"]),
    }
    if months_rolled_up:
        actions["ranking_locked"] = _get(compiler, urls["ranking_locked"])
    actions["import_results"] = _importer(bench)  # last: it changes month 3's figures
    return actions


def _importer(bench):
    """Upload and apply month 3's results file, every row a change each time."""
    bumps = iter(range(1, 100))

    def action():
        batch, preview = import_upload(
            user=bench.compiler, kind=RESULTS, campaign=bench.campaign, period=bench.period(3),
            upload=results_file(bench, 3, bump=next(bumps)), file_name="ket-qua.xlsx",
        )
        assert preview.ok
        import_results_apply(batch=batch, user=bench.compiler)
    return action


def _count(action) -> int:
    action()  # warm-up: sessions, content types and other per-process caches
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def _counts(size: int) -> dict[str, int]:
    """Every step's query count for a campaign of `size` offices: first with every period open
    (a provisional roll-up per period), then with months 1 and 2 rolled up. Built and measured
    inside a savepoint rolled back at the end, so the next size starts from an empty database."""
    counts = {}
    with transaction.atomic():
        bench = build_campaign(offices=size, staff=False, passing=PASSING)
        for name, action in _actions(bench, months_rolled_up=False).items():
            counts[f"{name} (all open)"] = _count(action)
        for period in bench.periods[:2]:
            period_rollup(period=period, trigger=Snapshot.Trigger.COMMAND)
        document = build_rollup(bench.period(3)).document
        assert len([r for r in document["standings"] if r["rank"]]) >= PASSING
        assert len(document["standings"]) == size
        for name, action in _actions(bench, months_rolled_up=True).items():
            counts[name] = _count(action)
        transaction.set_rollback(True)
    return counts


# Bulk inserts are cut into batches the database can take: SQLite binds at most 999
# parameters a statement, 37 rows of a report's ~27-column history. A few more statements for
# ten times the rows is batching; a statement per row would be 45 more.
BATCHED = {"import_results", "import_results (all open)"}
BATCH_ALLOWANCE = 3


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_number_of_units():
    small, large = _counts(SMALL), _counts(LARGE)
    allowed = {name: BATCH_ALLOWANCE if name in BATCHED else 0 for name in small}
    grown = {name: (small[name], large[name]) for name in small
             if not 0 <= large[name] - small[name] <= allowed[name]}
    assert not grown, (
        f"query counts differ between {SMALL} and {LARGE} local offices "
        f"(step: ({SMALL}, {LARGE})): {grown}"
    )
    assert set(small) == set(large)
