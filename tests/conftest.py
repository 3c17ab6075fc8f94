"""A fixed cast shared by the service and view tests: a small province, one user per role.

`cast` builds it afresh for each test. `rows_shared_by_the_scope` lets a module- or class-scoped
fixture build rows once for many tests that only read them. The hypothesis profiles are chosen
here too (see docs/testing.md).
"""

import contextlib
import datetime as dt
import os
import sys
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from hypothesis import settings

from campaign.models import Campaign, Period, PrizeLevel, Report, Target
from campaign.scope import campaign_urls
from units.models import Person, Role, Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "test-pass-123"

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE (.ci/run sets "ci"; the default is "dev").
# ci: every example the tests ask for; no example database (a fresh clone has none and keeps none);
# no deadline (a shared runner's timing is noise, not a defect); a failure prints the blob that
# replays it with @reproduce_failure.
# dev: a fifth of the examples for a quick loop at a desk, and the local example database, which
# replays the last failures first.
settings.register_profile("ci", max_examples=100, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=20, deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(HYPOTHESIS_PROFILE)


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config, items):
    """Browser and real-worker tests are slow too: one `-m "not slow"` leaves them all out."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("celery_worker"):
            item.add_marker(pytest.mark.slow)


def examples(count: int) -> int:
    """For a property test that sets its own number of examples: `count` under the ci profile,
    a fifth of it (at least 10) under dev, as the profiles do for the others."""
    return count if HYPOTHESIS_PROFILE == "ci" else max(10, count // 5)


def make_user(username: str, unit: Unit | None, *roles: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username)
    user.is_superuser = superuser
    user.is_staff = superuser
    user.save()
    for role in roles:
        # The role groups come from a data migration; a transactional test before this one
        # flushed them away.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if unit is not None:
        Person.objects.create(full_name=f"Người {username}", unit=unit, user=user, title="Chuyên viên")
    return user


def report_figures(**overrides) -> dict:
    figures = {
        "mandatory_actual": 9_000, "voluntary_actual": 3_600, "health_actual": 95_000,
        "mandatory_last_year": 8_500, "voluntary_last_year": 3_300, "health_last_year": 93_000,
        "revenue": 230_000_000_000, "nonpublic_revenue": 90_000_000_000,
        "due": 240_000_000_000, "late": 6_000_000_000, "late_interest": 3_000_000_000,
    }
    figures.update(overrides)
    return figures


def target_figures(**overrides) -> dict:
    figures = {
        "mandatory_plan": 9_500, "mandatory_base": 8_500, "voluntary_plan": 4_000,
        "voluntary_base": 3_000, "health_plan": 100_000, "health_base": 90_000,
        "revenue_plan": 260_000_000_000, "late_max": Decimal("3.50"),
        "late_interest_max": Decimal("2.00"),
    }
    figures.update(overrides)
    return figures


# The dispatch's ladder of 2025 (key, name, count, amount, individuals), which the cast's
# campaign gives: 1 first, 1 second, 3 third a month, with 3 / 2 / 1 individuals.
LADDER_2025 = (
    ("first", "Giải Nhất", 1, 5_000_000, 3),
    ("second", "Giải Nhì", 1, 3_000_000, 2),
    ("third", "Giải Ba", 3, 2_000_000, 1),
)


def set_ladder(campaign: Campaign, levels) -> None:
    """Replace the campaign's ladder by `levels` of (key, name, count, amount, individuals)."""
    campaign.prize_levels.all().delete()
    PrizeLevel.objects.bulk_create([
        PrizeLevel(campaign=campaign, position=position, key=key, name=name, count=count,
                   amount=amount, individuals=individuals)
        for position, (key, name, count, amount, individuals) in enumerate(levels, start=1)
    ])


def set_level(campaign: Campaign, key: str, **values) -> None:
    """Change one level of the campaign's ladder (count=2, amount=6_000_000…)."""
    PrizeLevel.objects.filter(campaign=campaign, key=key).update(**values)


class Cast:
    """Attribute access to the fixture objects: cast.office_a, cast.staff_a, cast.compiler..."""

    def __init__(self, **items):
        self.__dict__.update(items)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached provisional rankings are keyed by row ids a rolled-back test may hand out again."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@contextlib.contextmanager
def rows_shared_by_the_scope(django_db_blocker, build):
    """Yields what `build()` wrote and returned; its rows live until the block ends.

    For module- or class-scoped fixtures whose tests only read: `build` runs once, inside an outer
    transaction held open on the test database. Each test of the scope still runs in its own
    transaction (pytest-django's `db`), which becomes a savepoint inside the outer one, so
    whatever a test writes is undone before the next test and every test sees the rows as
    `build` left them. At the end of the scope the outer transaction is rolled back: the next
    module starts from the empty database, as after any other test.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_cast() -> Cast:
    """The small province with one user per role (the `cast` fixture, callable in a shared scope)."""
    campaign = Campaign.objects.create(
        code="TEST2025", name="Thi đua thử", year=2025,
        launch_date=dt.date(2025, 10, 1), end_date=dt.date(2025, 12, 31),
    )
    set_ladder(campaign, LADDER_2025)
    periods = [
        Period.objects.create(
            campaign=campaign, number=n, name=name, first_day=first, last_day=last,
            participant_threshold=Decimal(t), revenue_threshold=Decimal(t),
            rollup_due_at=dt.datetime(*due, 7, 0, tzinfo=VN),
        )
        for n, name, first, last, t, due in (
            (1, "Tháng 10/2025", dt.date(2025, 10, 1), dt.date(2025, 10, 31), "81", (2025, 11, 5)),
            (2, "Tháng 11/2025", dt.date(2025, 11, 1), dt.date(2025, 11, 30), "91", (2025, 12, 5)),
            (3, "Tháng 12/2025", dt.date(2025, 12, 1), dt.date(2025, 12, 31), "100", (2026, 1, 5)),
        )
    ]
    qlt = Unit.objects.create(code="QLT", name="Phòng Quản lý thu", kind=Unit.Kind.DEPARTMENT,
                              is_collection_department=True, order=1)
    tchc = Unit.objects.create(code="TCHC", name="Phòng Tổ chức - Hành chính", kind=Unit.Kind.DEPARTMENT, order=2)
    khtc = Unit.objects.create(code="KHTC", name="Phòng Kế hoạch - Tài chính", kind=Unit.Kind.DEPARTMENT, order=3)
    bgd = Unit.objects.create(code="BGD", name="Ban Giám đốc", kind=Unit.Kind.DEPARTMENT, order=0,
                              is_directorate=True)
    office_a = Unit.objects.create(code="AAA", name="BHXH cơ sở A", kind=Unit.Kind.LOCAL_OFFICE, order=1)
    office_b = Unit.objects.create(code="BBB", name="BHXH cơ sở B", kind=Unit.Kind.LOCAL_OFFICE, order=2)
    office_c = Unit.objects.create(code="CCC", name="BHXH cơ sở C", kind=Unit.Kind.LOCAL_OFFICE, order=3)
    for unit in (office_a, office_b, office_c):
        Target.objects.create(campaign=campaign, unit=unit, **target_figures())
    Target.objects.create(campaign=campaign, unit=qlt, **target_figures(
        mandatory_plan=30_000, mandatory_base=26_000, voluntary_plan=12_500, voluntary_base=9_500,
        health_plan=310_000, health_base=280_000, revenue_plan=800_000_000_000,
    ))
    return Cast(
        campaign=campaign, periods=periods, period1=periods[0],
        qlt=qlt, tchc=tchc, khtc=khtc, bgd=bgd,
        office_a=office_a, office_b=office_b, office_c=office_c,
        staff_a=make_user("staff_a", office_a, Role.UNIT_STAFF),
        staff_b=make_user("staff_b", office_b, Role.UNIT_STAFF),
        compiler=make_user("compiler", qlt, Role.COMPILER),
        appraiser=make_user("appraiser", tchc, Role.APPRAISER),
        finance=make_user("finance", khtc, Role.FINANCE),
        director=make_user("director", bgd, Role.DIRECTOR),
        admin=make_user("admin", None, superuser=True),
    )


@pytest.fixture
def cast(db):
    """The cast, with the URLs reversed by the test inside its campaign (/phong-trao/TEST2025/…),
    as the application's own links are."""
    built = build_cast()
    with campaign_urls(built.campaign):
        yield built


def create_report(period, unit, status=Report.Status.SUBMITTED, **overrides) -> Report:
    import django.utils.timezone as tz

    return Report.objects.create(
        period=period, unit=unit, status=status,
        submitted_at=tz.now() if status == Report.Status.SUBMITTED else None,
        **report_figures(**overrides),
    )


@pytest.fixture
def make_report():
    return create_report
