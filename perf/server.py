"""The load test's server: a PostgreSQL database made afresh, and gunicorn serving it on
loopback with the settings under test (production by default, without the TLS redirect and
secure cookies loopback cannot carry)."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def require_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL phải trỏ tới PostgreSQL, ví dụ "
                 "postgres://postgres@127.0.0.1:5432/thidua_load")
    name = urlsplit(url).path.lstrip("/")
    if "load" not in name:
        sys.exit(f"Tên cơ sở dữ liệu «{name}» phải chứa «load»: kiểm thử tải xóa và tạo lại "
                 "cơ sở dữ liệu này.")
    return url


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def server_env(args, url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": args.settings,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Loopback has no TLS: no redirect to https, cookies that travel over http.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    })
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(args, env: dict, port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads),
        "--timeout", "60", "--graceful-timeout", "10", "--error-logfile", str(log),
        "--log-level", "warning",
    ]
    # Django's own log (a 500's traceback) goes to stderr: keep it beside gunicorn's.
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    seen = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn dừng khi khởi động; xem {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/dang-nhap/")
            status = connection.getresponse().status
            if status == 200:
                return process
            seen = f"HTTP {status}"
        except OSError as exc:
            seen = str(exc)
        time.sleep(0.3)
    stop_gunicorn(process)
    sys.exit(f"gunicorn không trả lời /dang-nhap/ bằng 200 trong 60 giây ({seen}); xem {log}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
