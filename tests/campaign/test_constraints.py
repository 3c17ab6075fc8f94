"""The database itself refuses impossible figures, whatever path writes them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from campaign.models import Period, Report, Target
from units.models import Unit

from ..conftest import report_figures, target_figures


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_target_per_campaign_and_unit(cast):
    _refused(lambda: Target.objects.create(campaign=cast.campaign, unit=cast.office_a, **target_figures()))


def test_one_report_per_period_and_unit(cast, make_report):
    make_report(cast.period1, cast.office_a)
    _refused(lambda: make_report(cast.period1, cast.office_a))


@pytest.mark.parametrize("field", ["revenue", "late", "mandatory_actual", "due"])
def test_negative_figures_are_refused(cast, field):
    _refused(lambda: Report.objects.create(period=cast.period1, unit=cast.office_a,
                                           **report_figures(**{field: -1})))


def test_nonpublic_revenue_above_revenue_is_refused(cast):
    _refused(lambda: Report.objects.create(period=cast.period1, unit=cast.office_a,
                                           **report_figures(revenue=100, nonpublic_revenue=101)))


def test_late_interest_above_late_is_refused(cast):
    _refused(lambda: Report.objects.create(period=cast.period1, unit=cast.office_a,
                                           **report_figures(late=100, late_interest=101)))


def test_ceiling_above_100_percent_is_refused(cast):
    Target.objects.filter(unit=cast.office_a).delete()
    _refused(lambda: Target.objects.create(campaign=cast.campaign, unit=cast.office_a,
                                           **target_figures(late_max=Decimal("100.01"))))


def test_threshold_outside_0_100_is_refused(cast):
    _refused(lambda: Period.objects.filter(pk=cast.period1.pk).update(participant_threshold=Decimal("101")))


def test_only_one_collection_department(cast):
    _refused(lambda: Unit.objects.create(code="QLT2", name="x", kind=Unit.Kind.DEPARTMENT,
                                         is_collection_department=True))


def test_submitted_report_must_have_a_time(cast):
    _refused(lambda: Report.objects.create(period=cast.period1, unit=cast.office_a,
                                           status=Report.Status.SUBMITTED, **report_figures()))


def test_money_fields_hold_thousands_of_billions(cast, make_report):
    report = make_report(cast.period1, cast.office_a, revenue=6_500_000_000_000,
                         nonpublic_revenue=3_000_000_000_000, due=7_000_000_000_000)
    report.refresh_from_db()
    assert report.revenue == 6_500_000_000_000


def test_a_ladder_may_give_more_or_fewer_prizes_and_individuals_than_the_first_dispatch(cast):
    from campaign.models import PrizeLevel

    PrizeLevel.objects.filter(campaign=cast.campaign, key="third").update(count=5, individuals=2)
    PrizeLevel.objects.filter(campaign=cast.campaign, key="first").update(count=0, individuals=0)
    levels = {p.key: (p.count, p.individuals) for p in cast.campaign.prize_levels.all()}
    assert levels == {"first": (0, 0), "second": (1, 2), "third": (5, 2)}


def test_a_ladder_has_one_level_per_position_and_per_key(cast):
    from campaign.models import PrizeLevel

    values = {"name": "Giải Khuyến khích", "count": 1, "amount": 1_000_000, "individuals": 0}
    _refused(lambda: PrizeLevel.objects.create(campaign=cast.campaign, position=1, key="khuyen-khich", **values))
    _refused(lambda: PrizeLevel.objects.create(campaign=cast.campaign, position=4, key="third", **values))
