"""The benchmark: a throw-away database, a campaign per size, every step measured.

The database
    Django's own test-database machinery (`connection.creation.create_test_db`) makes a fresh
    database and migrates it; the configured one is never opened, so the developer's data is
    safe:
    - SQLite (no DATABASE_URL): a file in a new temporary folder, removed at the end;
    - PostgreSQL (DATABASE_URL=postgres://…/thidua): the database `thidua_bench` on the same
      server (the configured name + "_bench"; a name already ending in "_bench" is used as
      is), dropped and created again at the start, dropped at the end.
    `--keep` keeps it for inspection, `--db-name` chooses it. Uploaded files go to a temporary
    MEDIA_ROOT. DEBUG is off, as in production.

The scenario, per size (24, 240, 2,400 local offices plus the eight departments)
    The data is built with every period open; the dashboard is measured in that state (the
    worst case: a provisional roll-up per period). Then months 1 and 2 are rolled up, as in
    December, and month 3 is the open month being collected. The steps:
    - floor: a plain SELECT of month 3's report rows on the same connection (cursor, fetchall);
      `floor_joined` also joins each row's unit and target (everything the roll-up reads);
    - rollup_build: `build_rollup` of month 3 (what the pages compute for an open period);
    - rollup: `period_rollup` of month 3 (build, store the snapshot, lock, signals), inside a
      transaction rolled back after each run so every run does the same work;
    - ranking_open / ranking_locked: the ranking page of month 3 (provisional) / month 2
      (snapshot), as the compiler, through the test client;
    - dashboard (month 3 open, months 1-2 rolled up) and dashboard_all_open, as the director;
    - board: the public board (month 2's snapshot, month 3's count of submitted reports) as a
      lobby screen opens it, through its link, without a login;
    - export_view: the dashboard's standings export; export_xlsx: scoring.xlsx alone;
    - import: the month's results file (every unit, every row a change) uploaded and applied
      (import_upload + import_results_apply: parse twice, write every report);
    - pdf: the decision PDF, when awards/pdf.py provides it.
"""

from __future__ import annotations

import gc
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from . import province
from .machine import machine
from .measure import StepResult, measure, timed

SIZES = (24, 240, 2400)
TARGETS = {  # at the largest size, on PostgreSQL
    "rollup": 1000, "dashboard": 300, "ranking_open": 300, "ranking_locked": 300, "board": 300,
    "import": 5000, "pdf": 2000,
}
FLOOR_FACTOR = 10
PEAK_MB = 300

STEPS = (
    "dashboard_all_open", "floor", "floor_joined", "rollup_build", "rollup", "ranking_open",
    "ranking_locked", "dashboard", "board", "export_view", "export_xlsx", "import", "pdf",
)


# --- the database ------------------------------------------------------------------------------

def bench_database_name(vendor: str, configured: str, chosen: str | None, folder: Path) -> str:
    if vendor == "sqlite":
        return str(Path(chosen).resolve()) if chosen else str(folder / "bench.sqlite3")
    if vendor == "postgresql":
        if chosen:
            return chosen
        return configured if configured.endswith("_bench") else f"{configured}_bench"
    raise CommandError(f"The benchmark runs on SQLite or PostgreSQL, not {vendor}.")


@contextmanager
def bench_database(*, chosen: str | None, keep: bool, log: Callable[[str], None]):
    """A fresh, migrated database for the benchmark; the configured one is never opened."""
    conn = connections[DEFAULT_DB_ALIAS]
    configured = str(conn.settings_dict["NAME"])
    folder = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    name = bench_database_name(conn.vendor, configured, chosen, folder)
    if conn.vendor == "sqlite" and Path(name) == Path(configured).resolve():
        raise CommandError("Refusing to use the configured SQLite file as the benchmark database.")
    conn.close()
    conn.settings_dict.setdefault("TEST", {})["NAME"] = name
    log(f"Benchmark database: {conn.vendor} {name} (created now, "
        f"{'kept' if keep else 'removed'} at the end); configured database {configured} untouched.")
    old = conn.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    media = folder / "media"
    try:
        with override_settings(DEBUG=False, MEDIA_ROOT=str(media),
                               ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            yield name
    finally:
        conn.creation.destroy_test_db(old, verbosity=0, keepdb=keep)
        if not (keep and conn.vendor == "sqlite" and not chosen):
            shutil.rmtree(folder, ignore_errors=True)


def _check_bench_database(name: str) -> None:
    # Belt and braces before emptying tables between sizes.
    if str(connection.settings_dict["NAME"]) != name:
        raise CommandError(f"Not on the benchmark database ({connection.settings_dict['NAME']}).")


def _empty_database(name: str) -> None:
    _check_bench_database(name)
    call_command("flush", interactive=False, verbosity=0)


# --- the steps -------------------------------------------------------------------------------------

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
        try:
            from pyinstrument import Profiler
        except ImportError:
            self.log("  (pyinstrument is not installed: .venv/bin/pip install pyinstrument)")
            return
        if prepare is not None:
            prepare(10_000)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        action(10_000)
        profiler.stop()
        self.log(profiler.output_text(unicode=True, color=False, show_all=False))


class PairedFloor:
    """The floor measured again just before each run of a roll-up step (as its `prepare`), so
    that each run is compared with a floor read under the same load: this machine's speed
    moves by ±15 % from one minute to the next, and the floor step runs a minute before the
    roll-up's. The step's ratio is the median of the runs' own ratios."""

    def __init__(self, floor_action):
        self.floor_action = floor_action
        self.floor_ms: dict[int, float] = {}  # run number → the floor read before it

    def prepare(self, run: int) -> None:
        # Read once untimed first: right after a roll-up the first read is slower (the
        # allocator and caches are cold), which would flatter the ratio. Then a full
        # collection, as `measure` does before each timed run of the roll-up: both timed
        # reads start alike.
        self.floor_action(run)
        gc.collect()
        start = time.perf_counter()
        self.floor_action(run)
        self.floor_ms[run] = (time.perf_counter() - start) * 1000

    def record(self, results: list[StepResult], step: str) -> None:
        result = next((r for r in results if r.step == step), None)
        if result is None or not result.samples:
            return
        floors = [self.floor_ms[run] for run in result.sample_runs]
        ratios = [ms / floor for ms, floor in zip(result.samples, floors, strict=True)]
        result.extra["paired_floor_ms"] = round(statistics.median(floors), 2)
        result.extra["paired_floor_ratio"] = round(statistics.median(ratios), 2)


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

    plain_floor = floor(False)
    session.run("floor", plain_floor)
    session.run("floor_joined", floor(True))
    # The roll-ups return a count, not what they built: freeing it is part of their time.
    paired = PairedFloor(plain_floor)
    session.run("rollup_build", lambda _run: len(build_rollup(p3).document["standings"]),
                prepare=paired.prepare)
    paired.record(session.results, "rollup_build")

    def rollup(_run):
        with transaction.atomic():
            snapshot, created = period_rollup(period=p3, trigger=Snapshot.Trigger.COMMAND)
            if not created:
                raise CommandError("The roll-up found a snapshot; it should have made one.")
            transaction.set_rollback(True)
        return snapshot.pk

    paired = PairedFloor(plain_floor)
    session.run("rollup", rollup, prepare=paired.prepare)
    paired.record(session.results, "rollup")
    session.run("ranking_open", _get(compiler, page_url("scoring:ranking", 3)))
    session.run("ranking_locked", _get(compiler, page_url("scoring:ranking", 2)))
    session.run("dashboard", _get(director, dashboard_url))
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


# --- output ------------------------------------------------------------------------------------------

def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def table(results: Iterable[StepResult]) -> str:
    results = list(results)
    floors = {r.size: r.ms_median for r in results if r.step == "floor"}
    header = (f"{'step':<20} {'units':>6} {'median ms':>10} {'min ms':>9} {'queries':>8} "
              f"{'py MB':>7} {'rss MB':>7} {'× floor':>8}  note")
    lines = [header, "-" * len(header)]
    for r in results:
        ratio = ""
        if "paired_floor_ratio" in r.extra:
            ratio = f"{r.extra['paired_floor_ratio']:.1f}"
        elif r.step in ("rollup", "rollup_build") and floors.get(r.size) and r.ms_median:
            ratio = f"{r.ms_median / floors[r.size]:.1f}"
        lines.append(
            f"{r.step:<20} {r.size:>6} {_fmt(r.ms_median):>10} {_fmt(r.ms_min):>9} "
            f"{_fmt(r.queries):>8} {_fmt(r.py_peak_mb):>7} {_fmt(r.rss_peak_mb):>7} {ratio:>8}  {r.note}"
        )
    return "\n".join(lines)


def floor_ratios(results: list[StepResult]) -> dict:
    """Per size: the roll-up's median over the floor's (report rows alone, and joined with
    their units and targets: everything the roll-up reads)."""
    at = {(r.step, r.size): r.ms_median for r in results}
    paired = {(r.step, r.size): r.extra["paired_floor_ratio"]
              for r in results if "paired_floor_ratio" in r.extra}
    ratios = {}
    for size in sorted({r.size for r in results}):
        entry = {}
        for step in ("rollup", "rollup_build"):
            for floor in ("floor", "floor_joined"):
                if at.get((step, size)) and at.get((floor, size)):
                    entry[f"{step}/{floor}"] = round(at[step, size] / at[floor, size], 1)
            if (step, size) in paired:
                entry[f"{step}/paired_floor"] = paired[step, size]
        if entry:
            ratios[str(size)] = entry
    return ratios


def verdicts(results: list[StepResult], size: int) -> list[str]:
    """The issue's targets at the given size: one line each, "ok" or "MISSED"."""
    at = {r.step: r for r in results if r.size == size}
    lines = []
    for step, limit in TARGETS.items():
        r = at.get(step)
        if r is None or r.ms_median is None:
            lines.append(f"{step:<16} ≤ {limit} ms: not measured{f' ({r.note})' if r else ''}")
            continue
        ok = r.ms_median <= limit
        lines.append(f"{step:<16} ≤ {limit} ms: {r.ms_median:,.1f} ms {'ok' if ok else 'MISSED'}")
    rollup = at.get("rollup")
    if rollup is not None and "paired_floor_ratio" in rollup.extra:
        # Each run against the floor read just before it (PairedFloor).
        ratio = rollup.extra["paired_floor_ratio"]
        others = ""
        if "floor" in at and at["floor"].ms_median:
            others = f"; medians of the two steps: {rollup.ms_median / at['floor'].ms_median:.1f}×"
        if "floor_joined" in at and at["floor_joined"].ms_median:
            others += f"; {rollup.ms_median / at['floor_joined'].ms_median:.1f}× the joined floor"
        lines.append(f"rollup ≤ {FLOOR_FACTOR}× floor: {ratio:.1f}× "
                     f"(each run over the floor read before it, median; floor "
                     f"{rollup.extra['paired_floor_ms']:.2f} ms{others}) "
                     f"{'ok' if ratio <= FLOOR_FACTOR else 'MISSED'}")
    peaks = [(r.step, r.peak_mb) for r in at.values() if r.peak_mb is not None and r.step != "build"]
    if peaks:
        step, worst = max(peaks, key=lambda p: p[1])
        lines.append(f"peak memory ≤ {PEAK_MB} MB: worst {worst:.1f} MB ({step}) "
                     f"{'ok' if worst <= PEAK_MB else 'MISSED'}")
    return lines


def main(*, sizes: Iterable[int] = SIZES, repeat: int = 3, steps: Iterable[str] = STEPS,
         db_name: str | None = None, keep: bool = False, out: str | None = None,
         profile: Iterable[str] = (), log: Callable[[str], None] = print) -> dict:
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
                _empty_database(name)
            log(f"{size} local offices:")
            # Every force_login and every PDF logs at INFO; the table is what matters here.
            with _quiet("axes", logging.WARNING), _quiet("weasyprint", logging.WARNING):
                results += run_size(size, repeat=repeat, steps=steps, log=log,
                                    profile=profile if size == max(sizes) else set())
    log("")
    log(table(results))
    largest = max(sizes)
    log("")
    log(f"Targets at {largest} units ({vendor}; the issue sets them on PostgreSQL):")
    for line in verdicts(results, largest):
        log(f"  {line}")

    document = {
        "started": started.isoformat(timespec="seconds"), "vendor": vendor, "machine": info,
        "repeat": repeat, "memory": "py_peak_mb: tracemalloc peak above the start of the step "
        "(Python allocations, separate run); rss_peak_mb: VmHWM after a clear_refs reset, above "
        "VmRSS at the start (whole process, max over the timed runs)",
        "targets": {"ms": TARGETS, "floor_factor": FLOOR_FACTOR, "peak_mb": PEAK_MB},
        "results": [r.as_dict() for r in results],
        "floor_ratios": floor_ratios(results),
        "verdicts": verdicts(results, largest),
    }
    path = Path(out) if out else Path(settings.BASE_DIR) / "bench-results" / f"bench-{vendor}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    log(f"\nWritten {path}")
    return document


if __name__ == "__main__":  # pragma: no cover - run through manage.py
    sys.exit("Run: python manage.py bench")
