"""The benchmark: a campaign per size in a throw-away database (perf.database), every step
measured (perf.measure), a table and a JSON file (perf.report).

The scenario, per size (24, 240, 2,400 local offices plus the eight departments)
    The data is built with every period open; the dashboard is measured in that state (the
    worst case: a provisional roll-up per period). Then months 1 and 2 are rolled up, as in
    December, and month 3 is the open month being collected. The steps:
    - floor: a plain SELECT of month 3's report rows on the same connection (cursor, fetchall);
      `floor_joined` also joins each row's unit and target (everything the roll-up reads).
      Reference figures: what reading the data costs at least;
    - rollup_build: `build_rollup` of month 3 (what the pages compute for an open period);
    - rollup: `period_rollup` of month 3 (build, store the snapshot, lock, signals), inside a
      transaction rolled back after each run so every run does the same work;
    - ranking_open / ranking_locked: the ranking page of month 3 (provisional: after the
      warm-up run, from the provisional cache, as every view until a figure changes) / month 2
      (snapshot), as the compiler, through the test client; ranking_open_changed: month 3's
      page again, each run just after a report was saved (the standings built again);
    - dashboard (month 3 open, months 1-2 rolled up) and dashboard_all_open, as the director;
    - board: the public board (month 2's snapshot, month 3's count of submitted reports) as a
      lobby screen opens it, through its link, without a login;
    - export_view: the dashboard's standings export; export_xlsx: scoring.xlsx alone;
    - import: the month's results file (every unit, every row a change) uploaded and applied
      (import_upload + import_results_apply: parse twice, write every report);
    - pdf: the decision PDF, when awards/pdf.py provides it;
    - summary / summary_xlsx: the campaign summary's page and workbook (months 1 and 2 rolled
      up, none decided yet: every standing of both months is on them), as the director.
"""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from . import province, report
from .database import bench_database, empty_database
from .machine import machine
from .measure import StepResult, measure, timed

SIZES = (24, 240, 2400)

PROFILE_LINES = 40  # --profile: the functions shown, by cumulative time

STEPS = (
    "dashboard_all_open", "floor", "floor_joined", "rollup_build", "rollup", "ranking_open",
    "ranking_open_changed", "ranking_locked", "dashboard", "export_view", "export_xlsx", "import",
    "pdf", "summary", "summary_xlsx", "board",
)


REPORT_COLUMNS = (
    "id", "period_id", "unit_id", "mandatory_actual", "voluntary_actual", "health_actual",
    "mandatory_last_year", "voluntary_last_year", "health_last_year", "revenue",
    "nonpublic_revenue", "due", "late", "late_interest", "status", "source", "submitted_at",
)
TARGET_COLUMNS = (
    "mandatory_plan", "mandatory_base", "voluntary_plan", "voluntary_base", "health_plan",
    "health_base", "revenue_plan", "late_max", "late_interest_max",
)


def floor_sql(joined: bool) -> str:
    columns = ", ".join(f"r.{c}" for c in REPORT_COLUMNS)
    if not joined:
        return f"SELECT {columns} FROM campaign_report r WHERE r.period_id = %s"
    columns += ", u.code, u.name, u.kind, " + ", ".join(f"t.{c}" for c in TARGET_COLUMNS)
    return (
        f"SELECT {columns} FROM units_unit u "
        "LEFT JOIN campaign_report r ON r.unit_id = u.id AND r.period_id = %s "
        "LEFT JOIN campaign_target t ON t.unit_id = u.id AND t.campaign_id = %s "
        "WHERE u.active"
    )


def _get(client: Client, url: str):
    def action(_run):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}.")
        return len(response.content)
    return action


def _pdf_url(period) -> tuple[str | None, str]:
    """The decision PDF of the period's dossier (made by the awards app when the period was
    rolled up), or None and why not."""
    from django.urls import NoReverseMatch

    from campaign.scope import campaign_urls

    try:
        from awards.models import Dossier
    except ImportError:
        return None, "pending: no awards app"
    dossier = Dossier.objects.filter(period=period).order_by("-pk").first()
    if dossier is None:
        return None, "pending: the roll-up made no dossier (awards receivers not connected yet)"
    try:
        with campaign_urls(period.campaign):
            return reverse("awards:decision_pdf", args=[dossier.pk]), "awards:decision_pdf"
    except NoReverseMatch:
        return None, "pending: no awards:decision_pdf URL yet"


@contextmanager
def _quiet(name: str, level: int = logging.CRITICAL):
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Session:
    """The steps of one size, with what they share."""

    def __init__(self, size: int, repeat: int, steps: set[str], log, profile: set[str]):
        self.size, self.repeat, self.steps, self.log, self.profile = size, repeat, steps, log, profile
        self.results: list[StepResult] = []

    def want(self, step: str) -> bool:
        return step in self.steps

    def add(self, result: StepResult) -> StepResult:
        self.results.append(result)
        self.log(f"  {result.step:<20} {result.ms_median:>9.1f} ms  {result.queries!s:>5} queries"
                 + (f"  {result.peak_mb:6.1f} MB" if result.peak_mb is not None else "")
                 + (f"  {result.note}" if result.note else ""))
        return result

    def run(self, step: str, action, **kwargs) -> StepResult | None:
        if not self.want(step):
            return None
        repeat = kwargs.pop("repeat", self.repeat)
        result = self.add(measure(step, self.size, action, repeat=repeat, **kwargs))
        if step in self.profile:
            self._profile(step, action, kwargs.get("prepare"))
        return result

    def _profile(self, step: str, action, prepare) -> None:
        """One more run of the step under cProfile: the functions that took most time,
        their callees included."""
        if prepare is not None:
            prepare(10_000)
        profiler = cProfile.Profile()
        profiler.runcall(action, 10_000)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(PROFILE_LINES)
        self.log(text.getvalue())


def run_size(size: int, *, repeat: int, steps: set[str], log, profile: set[str]) -> list[StepResult]:
    from campaign.imports import import_results_apply, import_upload
    from campaign.models import Report
    from campaign.scope import campaign_urls
    from campaign.xlsx import RESULTS
    from scoring.models import Snapshot
    from scoring.rollup import build_rollup
    from scoring.services import period_rollup
    from scoring.xlsx import export_standings

    session = Session(size, repeat, steps, log, profile)
    build, bench = timed("build", size, lambda: province.build_campaign(offices=size))
    build.note = f"{Report.objects.count()} reports"
    session.add(build)
    p2, p3 = bench.period(2), bench.period(3)

    director, compiler = Client(), Client()
    director.force_login(bench.director)
    compiler.force_login(bench.compiler)

    def page_url(name, *args):
        with campaign_urls(bench.campaign):  # the pages' own addresses, not a redirect to them
            return reverse(name, args=args)

    dashboard_url = page_url("dashboard:dashboard")

    # Every period open: a provisional roll-up per period.
    session.run("dashboard_all_open", _get(director, dashboard_url))

    # December: months 1 and 2 rolled up, month 3 being collected.
    for period in bench.periods[:2]:
        period_rollup(period=period, trigger=Snapshot.Trigger.COMMAND)
    p2.refresh_from_db()

    def floor(joined: bool):
        sql = floor_sql(joined)
        params = [p3.pk, bench.campaign.pk] if joined else [p3.pk]

        def action(_run):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return len(cursor.fetchall())
        return action

    session.run("floor", floor(False))
    session.run("floor_joined", floor(True))
    # The roll-ups return a count, not what they built: freeing it is part of their time.
    session.run("rollup_build", lambda _run: len(build_rollup(p3).document["standings"]))

    def rollup(_run):
        with transaction.atomic():
            snapshot, created = period_rollup(period=p3, trigger=Snapshot.Trigger.COMMAND)
            if not created:
                raise CommandError("The roll-up found a snapshot; it should have made one.")
            transaction.set_rollback(True)
        return snapshot.pk

    session.run("rollup", rollup)
    ranking_open = _get(compiler, page_url("scoring:ranking", 3))
    session.run("ranking_open", ranking_open)
    # The first view after a report is saved: the provisional document's fingerprint moves (a
    # report's version), so the page builds the standings again before it renders them.
    saved = Report.objects.filter(period=p3).order_by("pk").values_list("pk", flat=True).first()

    def report_saved(_run):
        Report.objects.filter(pk=saved).update(version=F("version") + 1)

    session.run("ranking_open_changed", ranking_open, prepare=report_saved)
    session.run("ranking_locked", _get(compiler, page_url("scoring:ranking", 2)))
    session.run("dashboard", _get(director, dashboard_url))
    session.run("summary", _get(director, page_url("awards:summary")))
    session.run("summary_xlsx", _get(director, page_url("awards:summary_xlsx")))
    if session.want("board"):
        from dashboard.models import BoardLink, new_token, token_hash

        token = new_token()
        BoardLink.objects.create(label="Thử tải", token_hash=token_hash(token))
        session.run("board", _get(Client(), reverse("dashboard:board_screen", args=[token])))
    session.run("export_view", _get(director, page_url("dashboard:export") + "?ky=3&loai=all"))
    if session.want("export_xlsx"):
        document = build_rollup(p3).document
        session.run("export_xlsx", lambda _run: export_standings(
            document, title="Kết quả thi đua", subtitle="Thử tải"))

    if session.want("import"):
        files: dict[int, bytes] = {}
        splits: list[tuple[float, float]] = []

        def prepare(run):
            files[run] = province.results_file(bench, 3, bump=run + 1)

        def import_once(run):
            start = time.perf_counter()
            batch, preview = import_upload(user=bench.compiler, kind=RESULTS, campaign=bench.campaign,
                                           period=p3, upload=files.pop(run),
                                           file_name=f"ket-qua-{run}.xlsx")
            middle = time.perf_counter()
            if not preview.ok:
                raise CommandError("The results file was refused: "
                                   + "; ".join(str(e) for e in preview.errors[:5]))
            applied = import_results_apply(batch=batch, user=bench.compiler)
            splits.append(((middle - start) * 1000, (time.perf_counter() - middle) * 1000))
            return applied.changed_count + applied.new_count

        result = session.run("import", import_once, prepare=prepare)
        if result is not None:
            rows = len(bench.reporting_units)
            timed_splits = splits[1:1 + result.runs]  # the warm-up run comes first
            result.note = f"{rows} rows"
            result.extra.update(rows=rows, upload_ms=[round(a, 1) for a, _ in timed_splits],
                                apply_ms=[round(b, 1) for _, b in timed_splits])

    if session.want("pdf"):
        url, why = _pdf_url(p2)
        if url is not None:
            try:
                with _quiet("django.request"):
                    compiler.get(url)
            except Exception as exc:  # noqa: BLE001 - the awards app is still being written
                url, why = None, f"pending: the decision PDF fails ({type(exc).__name__}: {exc})"[:160]
        if url is None:
            session.results.append(StepResult(step="pdf", size=size, note=why))
            log(f"  pdf                  {why}")
        else:
            result = session.run("pdf", _get(compiler, url))
            if result is not None:
                result.note = why
    return session.results


def main(*, sizes: Iterable[int] = SIZES, repeat: int = 3, steps: Iterable[str] = STEPS,
         db_name: str | None = None, keep: bool = False, out: str | None = None,
         profile: Iterable[str] = (), log: Callable[[str], None] = print) -> list[StepResult]:
    sizes, steps, profile = list(sizes), set(steps), set(profile)
    unknown = (steps | profile) - set(STEPS)
    if unknown:
        raise CommandError(f"Unknown step(s): {', '.join(sorted(unknown))}; known: {', '.join(STEPS)}.")
    results: list[StepResult] = []
    started = datetime.now(UTC)
    with bench_database(chosen=db_name, keep=keep, log=log) as name:
        info = machine()
        vendor = connection.vendor
        log(f"{info.get('database')} · Python {info['python']} · Django {info['django']} · "
            f"{info.get('nproc')} CPU ({info.get('cpu', '?')}) · {info.get('memory_gb', '?')} GB")
        for index, size in enumerate(sizes):
            if index:
                empty_database(name)
            log(f"{size} local offices:")
            # Every force_login and every PDF logs at INFO; the table is what matters here.
            with _quiet("axes", logging.WARNING), _quiet("weasyprint", logging.WARNING):
                results += run_size(size, repeat=repeat, steps=steps, log=log,
                                    profile=profile if size == max(sizes) else set())
    log("")
    log(report.table(results))
    log("")
    log(f"Budgets ({vendor}; they are set on PostgreSQL):")
    for line in report.verdicts(results):
        log(f"  {line}")

    path = Path(out) if out else Path(settings.BASE_DIR) / "bench-results" / f"bench-{vendor}.json"
    report.write_json(path, started=started.isoformat(timespec="seconds"), vendor=vendor,
                      machine=info, repeat=repeat, results=results)
    log(f"\nWritten {path}")
    return results


if __name__ == "__main__":  # pragma: no cover - run through manage.py
    sys.exit("Run: python manage.py bench")
