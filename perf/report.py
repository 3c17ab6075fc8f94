"""What the benchmark prints and stores: the table of steps, the budgets met or missed, the
JSON file."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .measure import StepResult

# The team's budgets (docs/performance.md), milliseconds, by size: the national scale and the
# real province (24 local offices and the collection department). On PostgreSQL.
BUDGETS_MS = {
    2400: {"rollup": 1000, "ranking_open": 300, "ranking_locked": 300, "dashboard": 300,
           "dashboard_all_open": 300, "import": 5000, "pdf": 2000, "summary": 300, "board": 300},
    24: {"rollup": 50, "ranking_open": 50, "ranking_locked": 50, "dashboard": 50,
         "dashboard_all_open": 50, "summary": 50, "board": 50},
}
PEAK_MB = 300


def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def table(results: Iterable[StepResult]) -> str:
    header = (f"{'step':<20} {'units':>6} {'median ms':>10} {'min ms':>9} {'queries':>8} "
              f"{'py MB':>7} {'rss MB':>7}  note")
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.step:<20} {r.size:>6} {_fmt(r.ms_median):>10} {_fmt(r.ms_min):>9} "
            f"{_fmt(r.queries):>8} {_fmt(r.py_peak_mb):>7} {_fmt(r.rss_peak_mb):>7}  {r.note}"
        )
    return "\n".join(lines)


def verdicts(results: list[StepResult]) -> list[str]:
    """Each budget of a size that was measured: one line each, "ok" or "MISSED"."""
    lines = []
    for size in sorted({r.size for r in results} & set(BUDGETS_MS), reverse=True):
        at = {r.step: r for r in results if r.size == size}
        for step, limit in BUDGETS_MS[size].items():
            r = at.get(step)
            if r is None or r.ms_median is None:
                if r is not None:  # a step that could not run says why
                    lines.append(f"{size} units, {step:<18} ≤ {limit:,} ms: not measured ({r.note})")
                continue
            ok = r.ms_median <= limit
            lines.append(f"{size} units, {step:<18} ≤ {limit:,} ms: {r.ms_median:,.1f} ms "
                         f"{'ok' if ok else 'MISSED'}")
    peaks = [(r.step, r.size, r.peak_mb) for r in results
             if r.peak_mb is not None and r.step != "build"]
    if peaks:
        step, size, worst = max(peaks, key=lambda p: p[2])
        lines.append(f"peak memory ≤ {PEAK_MB} MB: worst {worst:.1f} MB ({step}, {size} units) "
                     f"{'ok' if worst <= PEAK_MB else 'MISSED'}")
    return lines


def write_json(path: Path, *, started: str, vendor: str, machine: dict, repeat: int,
               results: list[StepResult]) -> None:
    document = {
        "started": started, "vendor": vendor, "machine": machine, "repeat": repeat,
        "memory": "py_peak_mb: tracemalloc peak above the start of the step (Python "
        "allocations, separate run); rss_peak_mb: VmHWM after a clear_refs reset, above VmRSS at "
        "the start (whole process, max over the timed runs)",
        "budgets": {"ms": BUDGETS_MS, "peak_mb": PEAK_MB},
        "results": [r.as_dict() for r in results],
        "verdicts": verdicts(results),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
