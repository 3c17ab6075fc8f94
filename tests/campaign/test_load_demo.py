"""The Đắk Lắk demo (campaign.demo, `load_demo`): idempotent, exactly RULES.md, realistic.

The criteria are re-checked here from RULES.md R1-R10 with Fraction arithmetic, on purpose
without importing scoring/: the demo must tell its story whatever the engine does.
"""

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory

from campaign.demo import DEMO_PASSWORD, demo_load
from campaign.models import Campaign, Period, Report, ReportEvent, Target
from rules.allocation import monthly_prize_ceiling
from units.models import Person, Role, Unit

from ..conftest import rows_shared_by_the_scope

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEMES = ("mandatory", "voluntary", "health")
DISTRICTS = (
    "Buôn Ma Thuột", "Buôn Hồ", "Buôn Đôn", "Cư Kuin", "Cư M'gar", "Ea H'leo", "Ea Kar",
    "Ea Súp", "Krông Ana", "Krông Bông", "Krông Búk", "Krông Năng", "Krông Pắc", "Lắk",
    "M'Đrắk", "Tuy Hòa", "Sông Cầu", "Đông Hòa", "Đồng Xuân", "Phú Hòa", "Sơn Hòa",
    "Sông Hinh", "Tây Hòa", "Tuy An",
)


def snapshot() -> dict:
    User = get_user_model()
    models = (Unit, Person, User, Group, Campaign, Period, Target, Report, ReportEvent)
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["memberships"] = list(User.groups.through.objects.order_by("pk").values())
    return rows


def local_offices():
    return Unit.objects.filter(kind=Unit.Kind.LOCAL_OFFICE)


def collection_department() -> Unit:
    return Unit.objects.get(is_collection_department=True)


# --- idempotency -------------------------------------------------------------------------------


def test_running_twice_changes_nothing():
    first = demo_load()
    assert first.created > 0
    before = snapshot()
    again = demo_load()
    assert (again.created, again.updated) == (0, 0)
    assert snapshot() == before  # same rows, same values, not even updated_at moves


def test_command_twice_prints_the_logins_and_changes_nothing():
    out = StringIO()
    call_command("load_demo", stdout=out)
    before = snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    text = out.getvalue()
    for username in ("canbo.bmt", "canbo.eka", "qlt", "tchc", "khtc", "giamdoc", "admin"):
        assert username in text
    assert DEMO_PASSWORD in text
    assert "BHXH cơ sở Buôn Ma Thuột" in text


def test_a_changed_demo_figure_of_an_open_period_is_brought_back():
    demo_load()
    Report.objects.filter(unit__code="BMT", period__number=1).update(revenue=1, nonpublic_revenue=0)
    summary = demo_load()
    assert summary.updated >= 1
    assert Report.objects.get(unit__code="BMT", period__number=1).revenue > 1


def test_a_changed_password_is_kept():
    demo_load()
    user = get_user_model().objects.get(username="qlt")
    user.set_password("another-secret-1")
    user.save()
    demo_load()
    assert get_user_model().objects.get(username="qlt").check_password("another-secret-1")


def test_a_rolled_up_period_is_left_alone():
    from scoring.services import period_rollup

    demo_load()
    period = Period.objects.get(number=1)
    snapshot, _ = period_rollup(period=period, trigger="command")
    Report.objects.filter(unit__code="BMT", period=period).update(health_actual=1)
    demo_load()
    period.refresh_from_db()
    assert period.is_locked
    assert Report.objects.get(unit__code="BMT", period=period).health_actual == 1
    snapshot.refresh_from_db()
    assert snapshot.superseded_at is None


def test_no_figures_loads_everything_but_targets_and_reports():
    call_command("load_demo", "--no-figures", stdout=StringIO())
    assert Target.objects.count() == 0
    assert Report.objects.count() == 0
    assert Campaign.objects.filter(code="NUOCRUT2025").exists()
    assert Period.objects.count() == 3
    assert local_offices().count() == 24
    assert get_user_model().objects.count() == 7
    # ...and the figures can follow later, on the same organisation.
    demo_load()
    assert Target.objects.count() == 25


def _login_request():
    # Login throttling (django-axes) authenticates only with the request it throttles.
    return RequestFactory().post("/dang-nhap/")


def tenths(ratio: Fraction) -> int:
    """R10: percent rounded half-up to one decimal, as an integer number of tenths."""
    return math.floor(ratio * 1000 + Fraction(1, 2))


def standing(target: Target, report: Report, period: Period) -> dict:
    threshold = Fraction(period.participant_threshold) / 100
    rates = []
    for s in SCHEMES:
        plan, base = getattr(target, f"{s}_plan"), getattr(target, f"{s}_base")
        assert plan - base > 0  # every demo scheme is applicable (R2)
        rates.append(Fraction(getattr(report, f"{s}_actual") - base, plan - base))  # R1, R2
    c1 = all(rate >= threshold for rate in rates)  # R3
    revenue_rate = Fraction(report.revenue, target.revenue_plan)  # R6
    c2 = revenue_rate >= Fraction(period.revenue_threshold) / 100
    late_ratio = Fraction(report.late, report.due)  # R8
    c3 = (late_ratio <= Fraction(target.late_max) / 100
          and Fraction(report.late_interest, report.due) <= Fraction(target.late_interest_max) / 100)
    yoy = [Fraction(getattr(report, f"{s}_actual"), getattr(report, f"{s}_last_year"))
           for s in SCHEMES if getattr(report, f"{s}_last_year") > 0]  # R5
    return {
        "code": target.unit.code, "c1": c1, "c2": c2, "c3": c3,
        "eligible": report.status == Report.Status.SUBMITTED and c1 and c2 and c3,  # R9
        # R11 steps 1-4, rounded (R10)
        "key": (tenths(sum(rates) / 3), tenths(sum(yoy) / len(yoy)), tenths(revenue_rate),
                tenths(Fraction(report.nonpublic_revenue, report.revenue))),
    }


def standings(period: Period) -> list[dict]:
    targets = {t.unit_id: t for t in Target.objects.select_related("unit").filter(campaign=period.campaign)}
    return [standing(targets[r.unit_id], r, period)
            for r in period.reports.filter(unit__kind=Unit.Kind.LOCAL_OFFICE)]


@pytest.fixture(scope="class")
def loaded_demo(django_db_setup, django_db_blocker):
    with rows_shared_by_the_scope(django_db_blocker, demo_load) as summary:
        yield summary


@pytest.mark.usefixtures("loaded_demo")
class TestTheLoadedDemo:
    """The demo as `demo_load` leaves it, loaded once for the class: these tests only read it."""

    # --- the campaign, exactly as RULES.md ----------------------------------------------------

    def test_campaign_as_rules(self):
        c = Campaign.objects.get(code="NUOCRUT2025")
        assert c.name == (
            "Phong trào thi đua nước rút trong công tác thu và phát triển người tham gia "
            "BHXH, BHYT năm 2025"
        )
        assert "2440/BHXH-TCCB ngày 30/9/2025" in c.legal_basis
        assert (c.year, c.launch_date, c.end_date, c.tie_decimals) == (
            2025, dt.date(2025, 10, 1), dt.date(2025, 12, 31), 1,
        )
        levels = list(c.prize_levels.order_by("position"))
        assert [(p.key, p.name) for p in levels] == [
            ("first", "Giải Nhất"), ("second", "Giải Nhì"), ("third", "Giải Ba"),
        ]
        assert [p.amount for p in levels] == [5_000_000, 3_000_000, 2_000_000]
        assert c.individual_amount == 500_000
        assert [p.count for p in levels] == [1, 1, 3]
        assert [p.individuals for p in levels] == [3, 2, 1]
        assert c.budget == 54_000_000
        # R16: the budget is exactly three months of full prizes.
        month = (5_000_000 * 1 + 3_000_000 * 1 + 2_000_000 * 3 + c.individual_amount * (3 + 2 + 3 * 1))
        assert 3 * month == c.budget
        assert 3 * monthly_prize_ceiling(levels, c.individual_amount) == c.budget

    def test_periods_as_rules(self):
        periods = list(Period.objects.filter(campaign__code="NUOCRUT2025").order_by("number"))
        expected = (
            (1, "Tháng 10/2025", dt.date(2025, 10, 1), dt.date(2025, 10, 31), "81", dt.datetime(2025, 11, 5, 7, 0, tzinfo=VN)),
            (2, "Tháng 11/2025", dt.date(2025, 11, 1), dt.date(2025, 11, 30), "91", dt.datetime(2025, 12, 5, 7, 0, tzinfo=VN)),
            (3, "Tháng 12/2025", dt.date(2025, 12, 1), dt.date(2025, 12, 31), "100", dt.datetime(2026, 1, 5, 7, 0, tzinfo=VN)),
        )
        assert len(periods) == 3
        for p, (number, name, first, last, threshold, due) in zip(periods, expected, strict=True):
            assert (p.number, p.name, p.first_day, p.last_day) == (number, name, first, last)
            assert p.participant_threshold == Decimal(threshold) == p.revenue_threshold
            assert p.rollup_due_at == due
            assert p.rollup_due_at.astimezone(VN).hour == 7
            assert p.status == Period.Status.OPEN

    # --- organisation, staff and logins -------------------------------------------------------

    def test_organisation(self):
        offices = local_offices()
        assert sorted(offices.values_list("name", flat=True)) == sorted(f"BHXH cơ sở {d}" for d in DISTRICTS)
        assert len({o.order for o in offices}) == 24
        assert all(o.code.isascii() and o.code.isupper() for o in offices)
        qlt = collection_department()
        assert (qlt.code, qlt.name, qlt.kind) == (
            "QLT", "Phòng Quản lý thu và Phát triển người tham gia", Unit.Kind.DEPARTMENT,
        )
        departments = dict(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).values_list("code", "name"))
        assert departments["TCHC"] == "Phòng Tổ chức - Hành chính"
        assert departments["KHTC"] == "Phòng Kế hoạch - Tài chính"
        assert departments["BGD"] == "Ban Giám đốc"
        assert len(departments) >= 6
        for unit in Unit.objects.all():
            people = list(unit.people.all())
            assert 3 <= len(people) <= 6, unit.code
            assert len({p.full_name for p in people}) == len(people)
            assert all(p.title and p.active for p in people)

    def test_every_role_has_a_login_linked_to_a_staff_member_of_its_unit(self):
        expected = {
            "canbo.bmt": (Role.UNIT_STAFF, "BMT"), "canbo.eka": (Role.UNIT_STAFF, "EKA"),
            "qlt": (Role.COMPILER, "QLT"), "tchc": (Role.APPRAISER, "TCHC"),
            "khtc": (Role.FINANCE, "KHTC"), "giamdoc": (Role.DIRECTOR, "BGD"),
        }
        for username, (role, unit_code) in expected.items():
            user = authenticate(_login_request(), username=username, password=DEMO_PASSWORD)
            assert user is not None, username
            assert list(user.groups.values_list("name", flat=True)) == [role]
            assert not user.is_superuser and not user.is_staff
            assert user.person.unit.code == unit_code
            assert user.get_full_name() == user.person.full_name
        assert {r for r, _ in expected.values()} == set(Role.values)
        admin = authenticate(_login_request(), username="admin", password=DEMO_PASSWORD)
        assert admin is not None and admin.is_superuser and admin.is_staff
        assert admin.person.unit.code == "CNTT"
        assert get_user_model().objects.get(username="giamdoc").person.title == "Giám đốc"

    # --- figures ------------------------------------------------------------------------------

    def test_every_reporting_unit_has_a_target_with_something_to_develop(self):
        targets = Target.objects.select_related("unit")
        assert {t.unit.code for t in targets} == set(local_offices().values_list("code", flat=True)) | {"QLT"}
        for t in targets:
            for s in SCHEMES:
                plan, base = getattr(t, f"{s}_plan"), getattr(t, f"{s}_base")
                assert Fraction(92, 100) <= Fraction(base, plan) <= Fraction(97, 100), (t.unit.code, s)
            assert (t.late_max, t.late_interest_max) == (Decimal("3.5"), Decimal("2.0"))

    def test_figures_satisfy_the_model_and_db_rules(self):
        for t in Target.objects.all():
            t.full_clean()
        for r in Report.objects.all():
            r.full_clean()
            assert r.source == Report.Source.FORM
            for name in ("revenue", "nonpublic_revenue", "due", "late", "late_interest"):
                assert type(getattr(r, name)) is int
            assert Fraction(30, 100) <= Fraction(r.nonpublic_revenue, r.revenue) <= Fraction(60, 100)
            assert abs(Fraction(r.revenue, r.due) - Fraction(97, 100)) < Fraction(1, 10_000)
            assert Fraction(1, 100) <= Fraction(r.late, r.due) <= Fraction(5, 100)
            assert r.late_interest <= r.late
            for s in SCHEMES:
                actual, last_year = getattr(r, f"{s}_actual"), getattr(r, f"{s}_last_year")
                if actual:
                    assert Fraction(90, 100) <= Fraction(last_year, actual) <= Fraction(98, 100)

    def test_province_sizes(self):
        province = Target.objects.get(unit=collection_department())
        offices = Target.objects.filter(unit__kind=Unit.Kind.LOCAL_OFFICE)
        expected = {"mandatory_plan": 191_000, "voluntary_plan": 77_000, "health_plan": 2_650_000,
                    "revenue_plan": 6_500_000_000_000}
        for name, size in expected.items():
            # The collection department's target is the province plan (R12): the offices' plans
            # plus the part the provincial office serves directly, never less than their sum.
            assert sum(getattr(t, name) for t in offices) <= getattr(province, name)
            assert abs(Fraction(getattr(province, name), size) - 1) <= Fraction(3, 100), name
        # Sizes follow the districts: Buôn Ma Thuột and Tuy Hòa are the big ones.
        by_code = {t.unit.code: t for t in offices.select_related("unit")}
        biggest = sorted(by_code, key=lambda c: by_code[c].revenue_plan, reverse=True)[:2]
        assert set(biggest) == {"BMT", "THO"}

    def test_reports_status_and_dates(self):
        reporting = set(local_offices().values_list("code", flat=True)) | {"QLT"}
        for period in Period.objects.order_by("number"):
            reports = {r.unit.code: r for r in period.reports.select_related("unit", "submitted_by")}
            window_start = dt.datetime.combine(period.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=VN)
            for r in reports.values():
                if r.status == Report.Status.SUBMITTED:
                    assert window_start <= r.submitted_at < period.rollup_due_at
                    assert r.submitted_by is not None
                    assert r.events.filter(action="submitted").count() == 1
                else:
                    assert r.submitted_at is None and r.submitted_by is None
            drafts = {c for c, r in reports.items() if r.status == Report.Status.DRAFT}
            missing = reporting - set(reports)
            if period.number in (1, 2):
                assert (drafts, missing) == (set(), set())
            else:
                assert len(drafts) == 2 and len(missing) == 1
                assert missing <= set(local_offices().values_list("code", flat=True))
        assert Report.objects.get(period__number=1, unit__code="BMT").submitted_by.username == "canbo.bmt"
        assert Report.objects.get(period__number=1, unit__code="QLT").submitted_by.username == "qlt"

    def test_cumulative_figures_grow_month_by_month(self):
        for unit in list(local_offices()) + [collection_department()]:
            reports = list(Report.objects.filter(unit=unit).order_by("period__number"))
            for earlier, later in zip(reports, reports[1:], strict=False):
                assert later.revenue > earlier.revenue
                for s in SCHEMES:
                    assert getattr(later, f"{s}_actual") >= getattr(earlier, f"{s}_actual")

    # --- the story: some pass, some fail, some tie (RULES.md R1-R10, inline) ------------------

    @pytest.mark.parametrize("number", [1, 2, 3])
    def test_each_month_some_offices_pass_and_some_fail(self, number):
        rows = standings(Period.objects.get(number=number))
        eligible = [r for r in rows if r["eligible"]]
        assert len(eligible) >= 5  # enough for every prize of the month
        failing = [r for r in rows if not (r["c1"] and r["c2"] and r["c3"])]
        assert len(failing) >= 5
        # each criterion is, somewhere this month, the only one an office misses
        for criterion in ("c1", "c2", "c3"):
            assert any(not r[criterion] and all(r[c] for c in ("c1", "c2", "c3") if c != criterion)
                       for r in rows), criterion

    @pytest.mark.parametrize("number", [1, 2, 3])
    def test_each_month_has_ties_for_the_tie_breaks(self, number):
        eligible = [r for r in standings(Period.objects.get(number=number)) if r["eligible"]]
        pairs = [(a, b) for i, a in enumerate(eligible) for b in eligible[i + 1:]]
        # equivalent participant rates, the year-on-year ratio decides (R11 step 2)
        assert any(a["key"][0] == b["key"][0] and a["key"][1] != b["key"][1] for a, b in pairs)
        # equivalent down to the revenue rate, the non-public share decides (R11 step 4)
        assert any(a["key"][:3] == b["key"][:3] and a["key"][3] != b["key"][3] for a, b in pairs)

    def test_month_three_has_a_draft_that_would_pass_but_is_not_eligible(self):
        rows = {r["code"]: r for r in standings(Period.objects.get(number=3))}
        drafts = Report.objects.filter(period__number=3, status=Report.Status.DRAFT)
        assert any(rows[d.unit.code]["c1"] and rows[d.unit.code]["c2"] and rows[d.unit.code]["c3"]
                   and not rows[d.unit.code]["eligible"] for d in drafts)

    def test_the_directorate_is_marked_so_it_is_never_nominated(self):
        assert list(Unit.objects.filter(is_directorate=True).values_list("code", flat=True)) == ["BGD"]
