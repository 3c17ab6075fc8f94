"""Measuring one step: wall time, SQL queries, peak memory.

Memory is measured two ways, in separate runs so neither disturbs the timings:
- `py_peak_mb`: tracemalloc's peak of Python allocations during the step, above what was
  allocated when it started (what the step's own Python objects needed);
- `rss_peak_mb`: the process's peak resident set during the step (Linux VmHWM, reset before
  the step through /proc/self/clear_refs), above the resident set when it started. This one
  also sees memory allocated in C (psycopg's buffers, WeasyPrint's Pango and cairo) that
  tracemalloc cannot see. Where /proc is not available it is left empty.
The targets are checked against the larger of the two.
"""

from __future__ import annotations

import gc
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.db import connection

MB = 1024 * 1024


class QueryCounter:
    """Counts the statements sent on the default connection (an execute wrapper: it costs a
    function call per query, unlike the debug cursor that records every SQL string)."""

    def __init__(self):
        self.count = 0
        self.statements: list[str] = []
        self.keep = False

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.keep:
            self.statements.append(sql)
        return execute(sql, params, many, context)


@contextmanager
def counting(keep: bool = False):
    counter = QueryCounter()
    counter.keep = keep
    with connection.execute_wrapper(counter):
        yield counter


def _status_kb(name: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            text = handle.read()
    except OSError:
        return None
    found = re.search(rf"^{name}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else None


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # 5: reset the peak resident set size (VmHWM) to the current
        return True
    except OSError:
        return False


def rss_mb() -> float | None:
    kb = _status_kb("VmRSS")
    return None if kb is None else kb / 1024


@dataclass
class StepResult:
    step: str
    size: int
    runs: int = 0
    ms_median: float | None = None
    ms_min: float | None = None
    ms_max: float | None = None
    queries: int | None = None
    py_peak_mb: float | None = None
    rss_peak_mb: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    samples: list[float] = field(default_factory=list)  # each timed run's ms, in order
    sample_runs: list[int] = field(default_factory=list)  # the run number of each sample

    @property
    def peak_mb(self) -> float | None:
        values = [v for v in (self.py_peak_mb, self.rss_peak_mb) if v is not None]
        return max(values) if values else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["peak_mb"] = self.peak_mb
        return data


def measure(step: str, size: int, action: Callable[[int], object], *, repeat: int = 3,
            warmup: int = 1, memory: bool = True, prepare: Callable[[int], object] | None = None,
            check: Callable[[object], None] | None = None) -> StepResult:
    """Run `action(i)` `warmup` times untimed, `repeat` times timed (queries counted, peak RSS
    watched), then once under tracemalloc. `prepare(i)`, if given, runs before each call,
    outside the measurement; `check(result)` validates what the action returned. The value
    the action returns is freed after the timer stops: return something small (a count, a
    key), so that freeing what the step made is timed with it."""
    result = StepResult(step=step, size=size)
    run = 0

    def call():
        nonlocal run
        if prepare is not None:
            prepare(run)
        value = action(run)
        run += 1
        return value

    for _ in range(warmup):
        value = call()
        if check is not None:
            check(value)

    times, counts, rss_peaks = [], [], []
    for _ in range(repeat):
        if prepare is not None:
            prepare(run)
        gc.collect()
        before = rss_mb()
        reset = _reset_peak_rss()
        with counting() as counter:
            start = time.perf_counter()
            value = action(run)
            elapsed = time.perf_counter() - start
        run += 1
        peak = _status_kb("VmHWM")
        if reset and peak is not None and before is not None:
            rss_peaks.append(max(0.0, peak / 1024 - before))
        times.append(elapsed * 1000)
        result.sample_runs.append(run - 1)
        counts.append(counter.count)
        if check is not None:
            check(value)
        del value

    result.runs = repeat
    result.samples = times
    result.ms_median = statistics.median(times)
    result.ms_min = min(times)
    result.ms_max = max(times)
    result.queries = counts[-1]
    if len(set(counts)) > 1:
        result.extra["query_counts"] = counts
    result.rss_peak_mb = max(rss_peaks) if rss_peaks else None

    if memory:
        if prepare is not None:
            prepare(run)
        gc.collect()
        tracemalloc.start()
        try:
            start_size, _ = tracemalloc.get_traced_memory()
            value = action(run)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        run += 1
        result.py_peak_mb = max(0, peak - start_size) / MB
        del value
    return result


def timed(step: str, size: int, action: Callable[[], object]) -> tuple[StepResult, object]:
    """A step run once (building the data): wall time and queries only."""
    result = StepResult(step=step, size=size, runs=1)
    with counting() as counter:
        start = time.perf_counter()
        value = action()
        result.ms_median = result.ms_min = result.ms_max = (time.perf_counter() - start) * 1000
    result.queries = counter.count
    return result, value
