"""Benchmark the roll-up, the pages, the import, the export and the decision PDF at scale.

Thin: the work is in perf/bench.py, imported only when the command runs.
"""

from django.core.management.base import BaseCommand, CommandError


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--sizes takes numbers separated by commas, not {text!r}.") from None
    if not sizes or min(sizes) < 1:
        raise CommandError("--sizes needs at least one size of 1 unit or more.")
    return sizes


class Command(BaseCommand):
    help = (
        "Benchmark: builds synthetic campaigns of 24, 240 and 2,400 local offices in a "
        "THROW-AWAY database (SQLite: a temporary file; PostgreSQL: <name>_bench on the server "
        "of DATABASE_URL, e.g. thidua_bench), never the configured one, and measures the "
        "roll-up, the ranking and dashboard pages, the results import, the standings export, "
        "the decision PDF and the floor (a plain SELECT of the same rows): time, SQL queries, "
        "peak memory. Prints a table, writes bench-results/bench-<database>.json."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        from perf.bench import STEPS

        parser.add_argument("--sizes", default="24,240,2400", help="local offices, e.g. 24,240,2400")
        parser.add_argument("--repeat", type=int, default=3, help="timed runs per step (median shown)")
        parser.add_argument("--steps", default="", help=f"a subset of: {','.join(STEPS)}")
        parser.add_argument("--profile", default="", help="steps to profile with cProfile, "
                            "one more run each (largest size only)")
        parser.add_argument("--db-name", help="benchmark database: a PostgreSQL name, or a SQLite "
                            "file path (default: <configured name>_bench / a temporary file)")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument("--out", help="JSON file (default bench-results/bench-<database>.json)")

    def handle(self, *args, sizes, repeat, steps, profile, db_name, keep, out, **options):
        from perf.bench import STEPS, main

        if repeat < 1:
            raise CommandError("--repeat must be 1 or more.")

        def log(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        main(sizes=_sizes(sizes), repeat=repeat,
             steps=[s for s in steps.split(",") if s] or STEPS,
             profile=[s for s in profile.split(",") if s], db_name=db_name, keep=keep, out=out,
             log=log)
