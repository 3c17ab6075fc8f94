"""A fixed cast shared by the service and view tests: a small province, one user per role."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User

from campaign.models import Campaign, Period, Report, Target
from campaign.scope import campaign_urls
from units.models import Person, Role, Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "test-pass-123"


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


@pytest.fixture
def cast(db):
    """The cast, with the URLs reversed by the test inside its campaign (/phong-trao/TEST2025/…),
    as the application's own links are."""
    campaign = Campaign.objects.create(
        code="TEST2025", name="Thi đua thử", year=2025,
        launch_date=dt.date(2025, 10, 1), end_date=dt.date(2025, 12, 31),
    )
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
    with campaign_urls(campaign):
        yield Cast(
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
def make_report():
    def _make(period, unit, status=Report.Status.SUBMITTED, **overrides):
        import django.utils.timezone as tz

        return Report.objects.create(
            period=period, unit=unit, status=status,
            submitted_at=tz.now() if status == Report.Status.SUBMITTED else None,
            **report_figures(**overrides),
        )

    return _make
