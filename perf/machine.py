"""The machine a measurement ran on, printed and stored beside the figures of the benchmark
and the load test: figures depend on it."""

from __future__ import annotations

import os
import platform
import subprocess

import django
from django.conf import settings
from django.db import connection


def machine() -> dict:
    info = {"python": platform.python_version(), "django": django.get_version(),
            "nproc": os.cpu_count(), "platform": platform.platform(), "cpu": platform.processor()}
    try:
        with open("/proc/cpuinfo") as handle:
            info["cpu"] = next((line.split(":", 1)[1].strip() for line in handle
                                if line.startswith("model name")), info["cpu"])
        with open("/proc/meminfo") as handle:
            kb = int(next(line.split()[1] for line in handle if line.startswith("MemTotal")))
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            info["database"] = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            info["database"] = f"PostgreSQL {cursor.fetchone()[0]}"
    try:
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=settings.BASE_DIR,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    # Other work on the machine skews the figures: the 1-minute load when the run ended.
    info["load_average_1m"] = round(os.getloadavg()[0], 2)
    return info
