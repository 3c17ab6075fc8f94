from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign.models import Target
from campaign.services import NO_ROW_VERSION, target_save
from units.models import Unit

from ..conftest import target_figures


def test_compiler_updates_a_target(cast):
    opened = Target.objects.get(unit=cast.office_a).version
    target = target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                         data=target_figures(health_plan=123_456), expected_version=opened)
    assert target.health_plan == 123_456 and target.updated_by == cast.compiler
    assert Target.objects.filter(unit=cast.office_a).count() == 1


def test_staff_cannot_change_targets(cast):
    with pytest.raises(PermissionDenied):
        target_save(user=cast.staff_a, campaign=cast.campaign, unit=cast.office_a, data=target_figures(), expected_version=NO_ROW_VERSION)


def test_a_unit_that_reports_no_figures_gets_no_target(cast):
    cast.office_c.active = False
    cast.office_c.save()
    tchc = Unit.objects.get(code="TCHC")
    for unit in (tchc, cast.office_c):
        with pytest.raises(ValidationError) as error:
            target_save(user=cast.compiler, campaign=cast.campaign, unit=unit, data=target_figures(), expected_version=NO_ROW_VERSION)
        assert "không giao chỉ tiêu" in str(error.value)
    assert not Target.objects.filter(unit__in=[tchc]).exists()


def test_ceiling_above_100_is_refused_with_a_message(cast):
    with pytest.raises(ValidationError) as error:
        target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                    data=target_figures(late_max=Decimal("120")), expected_version=NO_ROW_VERSION)
    assert "0–100" in str(error.value)
