from decimal import Decimal

from campaign.models import Target
from dashboard.selectors import unit_panel
from scoring.services import period_rollup


def test_a_rolled_up_month_keeps_the_gaps_it_was_judged_on_after_the_target_changes(cast, make_report):
    # Health: base 90.000, plan 100.000; 81 % of the 10.000 to develop → aim 98.100; has 95.000.
    make_report(cast.period1, cast.office_a, health_actual=95_000)
    make_report(cast.periods[1], cast.office_a, status="draft", health_actual=95_000)
    period_rollup(period=cast.period1, user=cast.compiler)
    # Raised in November: plan 110.000 → the open month's aim is 90.000 + 91 % × 20.000 = 108.200.
    Target.objects.filter(unit=cast.office_a).update(health_plan=110_000)

    _, panels = unit_panel(cast.campaign, cast.office_a)

    october, november = panels[0], panels[1]
    assert not october.provisional and november.provisional
    assert october.gaps.schemes[2].aim == 98_100
    assert october.gaps.schemes[2].people_needed == 3_100
    assert october.participant_threshold == Decimal("81")
    assert november.gaps.schemes[2].aim == 108_200
    assert november.gaps.schemes[2].people_needed == 13_200
    assert november.participant_threshold == Decimal("91")


def test_a_rolled_up_month_without_the_units_report_has_no_gaps(cast, make_report):
    make_report(cast.period1, cast.office_b)
    period_rollup(period=cast.period1, user=cast.compiler)

    _, panels = unit_panel(cast.campaign, cast.office_a)

    assert panels[0].gaps is None and panels[0].yoy == []
