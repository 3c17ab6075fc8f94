"""The benchmark's throw-away database.

Django's own test-database machinery (`connection.creation.create_test_db`) makes a fresh
database and migrates it; the configured one is never opened, so the developer's data is safe:
- SQLite (no DATABASE_URL): a file in a new temporary folder, removed at the end;
- PostgreSQL (DATABASE_URL=postgres://…/thidua): the database `thidua_bench` on the same server
  (the configured name + "_bench"; a name already ending in "_bench" is used as is), dropped and
  created again at the start, dropped at the end.
`--keep` keeps it for inspection, `--db-name` chooses it. Uploaded files go to a temporary
MEDIA_ROOT. DEBUG is off, as in production.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import override_settings


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


def empty_database(name: str) -> None:
    """Every table emptied between two sizes, once it is sure to be the benchmark's database."""
    if str(connection.settings_dict["NAME"]) != name:
        raise CommandError(f"Not on the benchmark database ({connection.settings_dict['NAME']}).")
    call_command("flush", interactive=False, verbosity=0)
