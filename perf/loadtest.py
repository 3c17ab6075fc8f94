"""Load test: 50 unit staff saving and submitting reports at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load bin/loadtest [--duration 60]
    (bin/loadtest runs `python -m perf.loadtest`)

What it does, in order:
1. (Re)creates the PostgreSQL database named in DATABASE_URL (its name must contain "load",
   so that a real database is never dropped by mistake), migrates it and, for the production
   settings, collects the static files.
2. Prepares the benchmark's synthetic province (`perf.province`): one campaign with three open
   periods, N local offices with targets, no reports yet, one staff login per office.
3. Starts gunicorn on loopback (the production settings by default, with HTTPS redirect and
   secure cookies switched off because loopback has no TLS).
4. Runs N client threads (http.client and a cookie jar each). Each logs in through
   /dang-nhap/ with its CSRF token, then until the time is up: GET its report page, POST
   "Lưu nháp" with new figures (typed the Vietnamese way, 1.234.567). At the end each POSTs
   "Gửi báo cáo", confirmed.
5. Stops gunicorn and checks the database: for every office, the stored report holds the
   figures of its last acknowledged save (a redirect after the POST), a submitted report is
   submitted, and the report's history has one "saved" event per acknowledged save.

It prints requests, errors, p50/p95 latency per kind of request, the lost writes, and the
machine; --json writes the same as JSON. Exit status 0 only with no error and no lost write.
It is a command, not a CI test: its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from rules.formatting import format_number

from . import server
from .server import ROOT

PASSWORD = "tai-thu-12345"
USERNAME_PREFIX = "taithu"
PERIOD_NUMBER = 1
REPORT_FIELDS = (
    "mandatory_actual", "voluntary_actual", "health_actual",
    "mandatory_last_year", "voluntary_last_year", "health_last_year",
    "revenue", "nonpublic_revenue", "due", "late", "late_interest",
)

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'<input[^>]*name="version"[^>]*>')
VALUE_RE = re.compile(r'value="([^"]*)"')


# --- set-up -----------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent staff members (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of saving (default 60)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1,
                        help="gunicorn workers (default 2 × CPUs + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument("--settings", default="config.settings.production",
                        help="settings module gunicorn runs (default config.settings.production)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each client waits between a save and the next page (default 0)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client socket timeout, seconds")
    parser.add_argument("--json", default="", help="also write the results to this JSON file")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is (no drop, no preparation)")
    return parser.parse_args(argv)


def prepare(clients: int) -> list[tuple[str, str]]:
    """The synthetic province of the benchmark (`perf.province`) with `clients` local offices,
    no reports yet, and one staff login per office; returns [(username, unit code)]. Runs
    inside django.setup()."""
    from django.db import transaction

    from perf.province import build_campaign, staff_logins

    with transaction.atomic():
        province = build_campaign(offices=clients, staff=False, reports=False)
        return staff_logins(province, password=PASSWORD, prefix=USERNAME_PREFIX)


# --- the clients ------------------------------------------------------------------------------

class RequestFailed(Exception):
    pass


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # non-2xx/3xx answers and exceptions
    unexpected: list[str] = field(default_factory=list)  # 2xx/3xx, but not the expected one

    def record(self, kind: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def surprise(self, text: str) -> None:
        with self.lock:
            self.unexpected.append(text)


@dataclass
class Outcome:
    """What the server acknowledged for one unit, in order."""

    username: str
    unit: str
    acked_saves: int = 0
    acked_submits: int = 0
    last_acked: dict | None = None
    submitted: bool = False
    # A POST that failed without an answer may or may not have been committed.
    in_doubt: list[dict] = field(default_factory=list)


class Client:
    def __init__(self, port: int, stats: Stats, timeout: float):
        self.port = port
        self.stats = stats
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, kind: str, method: str, path: str, form: dict | None = None):
        headers = {"User-Agent": "thidua-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.stats.record(kind, time.perf_counter() - started, None)
            self.stats.error(f"{kind} {path}: {type(exc).__name__}: {exc}")
            raise RequestFailed(str(exc)) from exc
        self.stats.record(kind, time.perf_counter() - started, response.status)
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.connection.close()
        if not 200 <= response.status < 400:
            self.stats.error(f"{kind} {path}: HTTP {response.status}")
            raise RequestFailed(f"HTTP {response.status}")
        return response.status, response.getheader("Location") or "", content.decode("utf-8", "replace")


def figures(unit_index: int, seq: int) -> dict[str, int]:
    """New figures for every save, within the rules (DN ≤ revenue, interest-bearing ≤ late)."""
    base = unit_index * 1_000 + seq
    revenue = 230_000_000_000 + base * 1_000
    late = 6_000_000_000 + base
    return {
        "mandatory_actual": 9_000 + base % 900, "voluntary_actual": 3_600 + seq,
        "health_actual": 95_000 + base % 5_000, "mandatory_last_year": 8_500,
        "voluntary_last_year": 3_300, "health_last_year": 93_000 + unit_index,
        "revenue": revenue, "nonpublic_revenue": revenue // 3, "due": 240_000_000_000 + seq,
        "late": late, "late_interest": late // 2,
    }


def page_fields(page: str) -> tuple[str, str]:
    token = CSRF_RE.search(page)
    if token is None:
        raise RequestFailed("no CSRF token on the page")
    version = ""
    tag = VERSION_RE.search(page)
    if tag is not None:
        value = VALUE_RE.search(tag.group(0))
        version = value.group(1) if value else ""
    return token.group(1), version


def run_client(index: int, username: str, unit: str, port: int, stats: Stats, ready: threading.Barrier,
               start: list[float], args, outcome: Outcome) -> None:
    from perf.province import CAMPAIGN_CODE

    client = Client(port, stats, args.timeout)
    report_path = f"/phong-trao/{CAMPAIGN_CODE}/ky/{PERIOD_NUMBER}/don-vi/{unit}/"
    logged_in = False
    try:
        _, _, page = client.request("login", "GET", "/dang-nhap/")
        token, _ = page_fields(page)
        status, location, _ = client.request("login", "POST", "/dang-nhap/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token,
        })
        logged_in = status == 302 and "/dang-nhap/" not in location
        if not logged_in:
            stats.surprise(f"login {username}: HTTP {status} → {location or 'no redirect'}")
    except RequestFailed:
        pass
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        return
    if not logged_in:
        return
    deadline = start[0] + args.duration

    def save(seq: int, submit: bool) -> None:
        status, _, page = client.request("report page", "GET", report_path)
        if status != 200:
            stats.surprise(f"GET {report_path}: HTTP {status}")
            return
        token, version = page_fields(page)
        values = figures(index, seq)
        form = {name: format_number(values[name]) for name in REPORT_FIELDS}
        form |= {"csrfmiddlewaretoken": token, "version": version}
        form["submit" if submit else "save"] = "1"
        if submit:
            form["confirm"] = "1"  # what the confirmation page posts back (units/confirm.py)
        kind = "POST submit" if submit else "POST save"
        try:
            status, location, _ = client.request(kind, "POST", report_path, form)
        except RequestFailed:
            outcome.in_doubt.append(values)
            raise
        if status == 302 and urlsplit(location).path == report_path:
            outcome.last_acked = values
            outcome.in_doubt.clear()
            if submit:
                outcome.acked_submits += 1
                outcome.submitted = True
            else:
                outcome.acked_saves += 1
        else:
            stats.surprise(f"{kind} {report_path}: HTTP {status}, not saved")

    seq = 0
    while time.perf_counter() < deadline:
        seq += 1
        try:
            save(seq, submit=False)
        except RequestFailed:
            time.sleep(0.2)
        if args.think:
            time.sleep(args.think)
    for _attempt in range(3):
        try:
            save(seq + 1, submit=True)
            break
        except RequestFailed:
            time.sleep(0.5)


# --- checking ------------------------------------------------------------------------------------

def verify(outcomes: list[Outcome]) -> dict:
    """Every acknowledged save is in the database; returns the counts and the problems."""
    from campaign.models import Period, Report, ReportEvent
    from perf.province import CAMPAIGN_CODE

    period = Period.objects.get(campaign__code=CAMPAIGN_CODE, number=PERIOD_NUMBER)
    reports = {r.unit.code: r for r in Report.objects.filter(period=period).select_related("unit")}
    events = Counter(
        (code, action) for code, action in
        ReportEvent.objects.filter(report__period=period).values_list("report__unit__code", "action")
    )
    lost, problems = [], []
    for outcome in outcomes:
        report = reports.get(outcome.unit)
        if outcome.last_acked is None:
            if report is not None and not outcome.in_doubt:
                problems.append(f"{outcome.unit}: a report exists but no save was acknowledged")
            continue
        if report is None:
            lost.append(f"{outcome.unit}: no report at all")
            continue
        stored = {name: getattr(report, name) for name in REPORT_FIELDS}
        if stored != outcome.last_acked and stored not in outcome.in_doubt:
            lost.append(f"{outcome.unit}: stored {stored['voluntary_actual']}… ≠ last acknowledged "
                        f"{outcome.last_acked['voluntary_actual']}…")
        if outcome.submitted and not report.is_submitted:
            lost.append(f"{outcome.unit}: submit acknowledged, report is {report.status}")
        saved_events = events[(outcome.unit, ReportEvent.Action.SAVED)]
        submitted_events = events[(outcome.unit, ReportEvent.Action.SUBMITTED)]
        if saved_events < outcome.acked_saves or submitted_events < outcome.acked_submits:
            lost.append(f"{outcome.unit}: {outcome.acked_saves} saves and {outcome.acked_submits} "
                        f"submits acknowledged, {saved_events} and {submitted_events} recorded")
        elif saved_events > outcome.acked_saves + len(outcome.in_doubt):
            problems.append(f"{outcome.unit}: more saves recorded ({saved_events}) than made")
    return {
        "units_checked": len(outcomes),
        "reports_stored": len(reports),
        "submitted_stored": sum(1 for r in reports.values() if r.is_submitted),
        "acknowledged_saves": sum(o.acked_saves for o in outcomes),
        "acknowledged_submits": sum(o.acked_submits for o in outcomes),
        "lost_writes": lost,
        "other_problems": problems,
    }


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def main(argv=None) -> int:
    args = parse_args(argv)
    url = server.require_database_url()
    env = server.server_env(args, url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY",
                                           "DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT",
                                           "DJANGO_SECURE_COOKIES", "CELERY_BROKER_URL")})
    sys.path.insert(0, str(ROOT))

    if not args.keep_db:
        print(f"Tạo lại cơ sở dữ liệu {urlsplit(url).path.lstrip('/')} và chạy migrate…", flush=True)
        server.recreate_database(url)
        server.manage(env, "migrate", "--noinput", "-v", "0")
    if args.settings.endswith("production"):
        server.manage(env, "collectstatic", "--noinput", "-v", "0")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connections

    from perf.machine import machine

    if args.keep_db:
        logins = [(u.username, u.person.unit.code) for u in
                  User.objects.filter(username__startswith=USERNAME_PREFIX).select_related("person__unit")
                  .order_by("username")[: args.clients]]
    else:
        print(f"Chuẩn bị {args.clients} đơn vị, {args.clients} tài khoản, chỉ tiêu…", flush=True)
        logins = prepare(args.clients)
    connections.close_all()

    port = args.port or server.free_port()
    log = ROOT / "bench-results" / f"loadtest-gunicorn-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log.parent.mkdir(exist_ok=True)
    print(f"Khởi động gunicorn ({args.workers} worker × {args.threads} luồng, {args.settings}) "
          f"trên 127.0.0.1:{port}…", flush=True)
    gunicorn = server.start_gunicorn(args, env, port, log)
    stats = Stats()
    outcomes = [Outcome(username, unit) for username, unit in logins]
    try:
        start: list[float] = [0.0]
        # The clock starts when the last one has logged in, before anyone is released.
        ready = threading.Barrier(len(logins) + 1, action=lambda: start.__setitem__(0, time.perf_counter()))
        threads = [
            threading.Thread(target=run_client, name=f"client-{username}", daemon=True,
                             args=(index, username, unit, port, stats, ready, start, args, outcomes[index - 1]))
            for index, (username, unit) in enumerate(logins, start=1)
        ]
        for thread in threads:
            thread.start()
        ready.wait(timeout=300)
        print(f"{len(logins)} người dùng đã đăng nhập; lưu báo cáo trong {args.duration:g} giây…", flush=True)
        for thread in threads:
            thread.join(timeout=args.duration + 10 * args.timeout)
        elapsed = time.perf_counter() - start[0]
    finally:
        server.stop_gunicorn(gunicorn)

    check = verify(outcomes)
    everything = [s for values in stats.latencies.values() for s in values]
    summary = {
        "clients": len(logins), "duration_s": args.duration, "elapsed_s": round(elapsed, 1),
        "gunicorn": {"workers": args.workers, "threads": args.threads, "settings": args.settings},
        "requests": len(everything),
        "requests_per_s": round(len(everything) / elapsed, 1) if elapsed else 0,
        "errors": len(stats.errors), "unexpected_answers": len(stats.unexpected),
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items(), key=lambda kv: str(kv[0]))},
        "latency_ms": {
            kind: {"count": len(values), "p50": round(percentile(values, 0.50) * 1000, 1),
                   "p95": round(percentile(values, 0.95) * 1000, 1),
                   "max": round(max(values) * 1000, 1)}
            for kind, values in [
                *sorted(stats.latencies.items()),
                ("saving phase", [v for k, vs in stats.latencies.items() if k != "login" for v in vs]),
                ("all", everything),
            ]
            if values
        },
        **check, "lost_write_count": len(check["lost_writes"]),
        "machine": machine(),
        "first_errors": stats.errors[:10], "first_unexpected": stats.unexpected[:10],
    }
    print_summary(summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    ok = not stats.errors and not stats.unexpected and not check["lost_writes"] and not check["other_problems"]
    return 0 if ok else 1


def print_summary(s: dict) -> None:
    m = s["machine"]
    print()
    print(f"Máy: {m['nproc']} CPU ({m['cpu']}), {m.get('memory_gb', '?')} GiB RAM; {m['database']}; "
          f"Python {m['python']}; tải trung bình 1 phút lúc kết thúc: {m['load_average_1m']}")
    print(f"gunicorn: {s['gunicorn']['workers']} worker × {s['gunicorn']['threads']} luồng "
          f"({s['gunicorn']['settings']}); {s['clients']} người dùng đồng thời, {s['elapsed_s']} s")
    print(f"Yêu cầu: {s['requests']} ({s['requests_per_s']}/s); lỗi: {s['errors']}; "
          f"trả lời không như mong đợi: {s['unexpected_answers']}; mã HTTP: {s['statuses']}")
    print(f"{'loại':<14}{'số':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, row in s["latency_ms"].items():
        print(f"{kind:<14}{row['count']:>8}{row['p50']:>10}{row['p95']:>10}{row['max']:>10}")
    print(f"Lưu được xác nhận: {s['acknowledged_saves']}; gửi được xác nhận: {s['acknowledged_submits']}; "
          f"báo cáo trong CSDL: {s['reports_stored']} (đã gửi: {s['submitted_stored']})")
    print(f"Mất dữ liệu (lost writes): {s['lost_write_count']}")
    for line in s["lost_writes"][:10] + s["other_problems"][:10] + s["first_errors"] + s["first_unexpected"]:
        print("  - " + line)


if __name__ == "__main__":
    sys.exit(main())
