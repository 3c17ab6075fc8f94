"""A real Redis broker and a real Celery worker for the task tests.

The worker is Celery's embedded test worker (celery.contrib.testing.worker.start_worker) in a
thread of the test process, so it uses the same test database; the tests are transactional
(`django_db(transaction=True)`) so that what the test writes is committed and visible to the
worker's own connection, and what the worker writes is visible to the test.

Broker: CELERY_TEST_BROKER_URL, else CELERY_BROKER_URL, else redis://127.0.0.1:6379/15. Each
test session sends to and consumes from a queue of its own, so two test runs sharing one Redis
(two CI jobs, two developers) never take each other's messages. Without Redis these tests are
skipped with the reason, unless REQUIRE_SERVICES=1 (CI), where they fail.
"""

import os
import time
import uuid

import kombu
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Group
from django.db import OperationalError, close_old_connections, connection

from config.celery_app import app as celery_app
from units.models import Role

BROKER_URL = (
    os.environ.get("CELERY_TEST_BROKER_URL")
    or os.environ.get("CELERY_BROKER_URL")
    or "redis://127.0.0.1:6379/15"
)


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason: str):
    if services_required():
        pytest.fail(f"{reason} — REQUIRE_SERVICES=1, so this is an error, not a skip.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_broker_url() -> str:
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        missing_service(f"Redis is not reachable at {BROKER_URL} ({exc}); start it or set "
                        "CELERY_TEST_BROKER_URL")
    return BROKER_URL


@pytest.fixture
def require_postgres():
    """Row locks (select_for_update) only mean something on PostgreSQL; SQLite serializes
    writers, and writer threads there fail with "database is locked"."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...): concurrent roll-ups "
                    "take row locks, which SQLite does not have")


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush wipes."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


def _reset_broker_connections(app) -> None:
    # The app caches its connection and producer pools; drop them when the broker changes
    # (kombu keeps the pools themselves in a registry keyed by URL, so they are not closed).
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture(scope="session")
def test_queue(redis_broker_url):
    name = f"thidua-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield name
    with kombu.Connection(redis_broker_url) as conn:
        conn.default_channel.queue_delete(name)


@pytest.fixture
def celery_worker(redis_broker_url, test_queue, role_groups):
    """A worker consuming from Redis in a thread, for one transactional test.

    The app leaves eager mode for the test and returns to it afterwards."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=redis_broker_url, task_always_eager=False,
                           task_default_queue=test_queue)
    _reset_broker_connections(celery_app)
    celery_app.loader.import_default_modules()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[test_queue],
                          loglevel="WARNING", shutdown_timeout=30) as worker:
            yield worker
    finally:
        with kombu.Connection(redis_broker_url) as conn:  # what a failed test left behind
            conn.default_channel.queue_purge(test_queue)
        celery_app.conf.update(saved)
        _reset_broker_connections(celery_app)
        close_old_connections()


def wait_for(predicate, *, timeout: float = 30, message: str = "condition"):
    """Poll the database until `predicate()` is true (the worker writes in its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except OperationalError:  # SQLite: the worker holds the write lock for a moment
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.05)
