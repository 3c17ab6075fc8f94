"""The awards cast: period 1 rolled up with three eligible local offices, ranked AAA, BBB, CCC,
and province totals that meet C1-C3 (so the collection department may be nominated)."""

import datetime as dt

import pytest

from awards import services
from awards.models import Dossier, Individual, Payment
from awards.selectors import unpaid_recipients
from scoring.services import period_rollup
from units.models import Person

from ..conftest import build_cast, create_report, rows_shared_by_the_scope

# Participant rates 92,7 % / 91,7 % / 90,0 %: every scheme above 81 %, so ranked AAA, BBB, CCC.
OFFICE_FIGURES = {
    "AAA": {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_800,
            "revenue": 240_000_000_000},
    "BBB": {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_500,
            "revenue": 240_000_000_000},
    "CCC": {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
            "revenue": 240_000_000_000},
}
# The collection department's own report lifts the province totals over every threshold (R12).
QLT_FIGURES = {"mandatory_actual": 1_200, "voluntary_actual": 600, "health_actual": 9_000,
               "revenue": 20_000_000_000, "nonpublic_revenue": 5_000_000_000, "due": 20_000_000_000,
               "late": 0, "late_interest": 0}

COUNCIL_DATE = dt.date(2025, 11, 4)
DECISION_DATE = dt.date(2025, 11, 5)


def report_period(cast, make_report, period, *, province=True):
    """Reports of the three offices (and the department's own); later periods, with higher
    thresholds, get 200 more participants in every scheme so the same ranking holds."""
    boost = 0 if period.number == 1 else 200
    for unit in (cast.office_a, cast.office_b, cast.office_c):
        figures = dict(OFFICE_FIGURES[unit.code])
        for key in ("mandatory_actual", "voluntary_actual", "health_actual"):
            figures[key] += boost
        make_report(period, unit, **figures)
    if province:
        make_report(period, cast.qlt, **QLT_FIGURES)


def build_awards_cast(cast):
    """The shared cast, with e-mail addresses and staff in every office, period 1 reported."""
    for name in ("staff_a", "staff_b", "compiler", "appraiser", "finance", "director", "admin"):
        user = getattr(cast, name)
        user.email = f"{name}@example.com"
        user.save(update_fields=["email"])
    cast.people = {
        unit.code: [
            Person.objects.create(full_name=f"Nguyễn Văn {unit.code} {n}", unit=unit, title="Viên chức")
            for n in range(1, 5)
        ]
        for unit in (cast.office_a, cast.office_b, cast.office_c, cast.tchc, cast.khtc, cast.qlt)
    }
    report_period(cast, create_report, cast.period1)
    return cast


def roll_up_period1(cast):
    """Period 1 rolled up: its draft dossier exists."""
    period_rollup(period=cast.period1, user=cast.compiler)
    cast.dossier = Dossier.objects.get(period=cast.period1)
    return cast


@pytest.fixture
def awards_cast(cast):
    return build_awards_cast(cast)


@pytest.fixture
def rolled(awards_cast):
    return roll_up_period1(awards_cast)


@pytest.fixture(scope="class")
def shared_rolled(django_db_setup, django_db_blocker):
    """`rolled`, built once for a class whose tests leave it as they found it: what a test
    writes is rolled back after it (tests/conftest.py), and a test reloads the dossier
    (`set_state`, `refresh_from_db`) before it relies on its fields."""
    with rows_shared_by_the_scope(
        django_db_blocker, lambda: roll_up_period1(build_awards_cast(build_cast()))
    ) as cast:
        yield cast


def line_of(dossier, code):
    return dossier.lines.get(unit__code=code)


def fill_individuals(cast, dossier):
    """Every prized collective gets its full quota; the last person of each has an initiative."""
    for line in dossier.lines.select_related("unit"):
        people = cast.people[line.unit.code]
        for n in range(line.individual_quota):
            services.individual_add(
                user=cast.compiler, line=line, person=people[n],
                achievement=f"Vận động {n + 1}00 người tham gia BHXH tự nguyện",
                has_initiative=(n == line.individual_quota - 1),
            )


def full_dossier(cast):
    """Two departments nominated (five prizes), every quota filled: 18.000.000 đồng."""
    dossier = cast.dossier
    services.nomination_create(user=cast.compiler, dossier=dossier, unit=cast.tchc,
                               reason="Tham mưu tổ chức phong trào thi đua kịp thời")
    services.nomination_create(user=cast.compiler, dossier=dossier, unit=cast.khtc,
                               reason="Bảo đảm kinh phí, đối soát số thu hằng tuần")
    fill_individuals(cast, dossier)
    return dossier


def advance(cast, dossier, to_state):
    """Walk a dossier along the workflow, through the services, up to `to_state`. The council
    meets four days after the month it judges, the decision is signed the day after, paid five
    days later, every collective and person on one voucher (05/11/2025, 10/11/2025 for October)."""
    State = Dossier.State
    month_end = dossier.period.last_day

    def submit():
        services.dossier_submit(user=cast.compiler, dossier=dossier)

    def return_():
        services.dossier_return(user=cast.appraiser, dossier=dossier, comment="Bổ sung thành tích cá nhân")

    def appraise():
        services.dossier_appraise(user=cast.appraiser, dossier=dossier,
                                  council_date=month_end + dt.timedelta(days=4),
                                  council_minutes="05/BB-HĐTĐKT")

    def approve():
        services.dossier_approve(user=cast.director, dossier=dossier, decision_number="123/QĐ-BHXH",
                                 decision_date=month_end + dt.timedelta(days=5))

    def pay():
        pay_everyone(cast, dossier, paid_on=month_end + dt.timedelta(days=10))

    path = {
        State.DRAFT: [],
        State.SUBMITTED: [submit],
        State.RETURNED: [submit, return_],
        State.APPRAISED: [submit, appraise],
        State.APPROVED: [submit, appraise, approve],
        State.PAID: [submit, appraise, approve, pay],
    }
    for step in path[to_state]:
        step()
    dossier.refresh_from_db()
    assert dossier.state == to_state
    return dossier


def set_state(dossier, state):
    """Put a dossier straight into `state` (test setup only), with the fields it requires."""
    fields = {"state": state}
    if state in (Dossier.State.APPRAISED, Dossier.State.APPROVED, Dossier.State.PAID):
        fields |= {"council_date": COUNCIL_DATE, "council_minutes": "05/BB-HĐTĐKT"}
    if state in (Dossier.State.APPROVED, Dossier.State.PAID):
        fields |= {"decision_number": "123/QĐ-BHXH", "decision_date": DECISION_DATE}
    if state == Dossier.State.CANCELLED:
        from django.utils import timezone

        fields |= {"cancelled_at": timezone.now(), "cancelled_reason": "thử"}
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    if state == Dossier.State.PAID:  # paid means every recipient is: give each its payment
        Payment.objects.bulk_create(
            [Payment(line=line, amount=line.amount, paid_on=dt.date(2025, 11, 10), voucher="UNC 45")
             for line in dossier.lines.all()]
            + [Payment(individual=i, amount=i.amount, paid_on=dt.date(2025, 11, 10), voucher="UNC 45")
               for i in Individual.objects.filter(line__dossier=dossier)])
    dossier.refresh_from_db()
    return dossier


def pay_everyone(cast, dossier, *, paid_on, voucher="UNC 45"):
    """Finance pays every unpaid collective and person of an approved dossier on one voucher."""
    unpaid = unpaid_recipients(dossier)
    return services.payments_record(
        user=cast.finance, dossier=dossier, paid_on=paid_on, voucher=voucher,
        line_ids=[r.pk for r in unpaid if r.kind == "line"],
        individual_ids=[r.pk for r in unpaid if r.kind == "individual"],
    )

