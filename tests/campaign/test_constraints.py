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


@pytest.mark.parametrize("field, too_many", [
    ("first_prize_quota", 2), ("second_prize_quota", 2), ("third_prize_quota", 4),
    ("first_prize_individuals", 4), ("second_prize_individuals", 3), ("third_prize_individuals", 2),
])
def test_prize_and_individual_quotas_cannot_exceed_the_dispatch(cast, field, too_many):
    from campaign.models import Campaign

    _refused(lambda: Campaign.objects.filter(pk=cast.campaign.pk).update(**{field: too_many}))


def test_fewer_prizes_than_the_dispatch_is_allowed(cast):
    from campaign.models import Campaign

    Campaign.objects.filter(pk=cast.campaign.pk).update(third_prize_quota=2, first_prize_individuals=1)
    cast.campaign.refresh_from_db()
    assert (cast.campaign.third_prize_quota, cast.campaign.first_prize_individuals) == (2, 1)
