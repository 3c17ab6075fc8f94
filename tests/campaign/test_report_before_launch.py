"""A campaign prepared ahead (its targets may be) takes no report before it launches."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from campaign import services
from campaign.models import Report
from campaign.services import NO_ROW_VERSION
from tests.conftest import report_figures

pytestmark = pytest.mark.django_db


def _save(cast):
    return services.report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                                data=report_figures(), expected_version=NO_ROW_VERSION)


def test_a_report_of_a_campaign_not_yet_launched_is_refused_and_nothing_is_written(cast):
    launch = cast.period1.campaign.launch_date
    with time_machine.travel(dt.datetime.combine(launch - dt.timedelta(days=3), dt.time(9)), tick=False):
        with pytest.raises(ValidationError) as refused:
            _save(cast)
    assert f"bắt đầu từ ngày {launch:%d/%m/%Y}: chưa nhận báo cáo" in " ".join(refused.value.messages)
    assert not Report.objects.filter(period=cast.period1, unit=cast.office_a).exists()


def test_from_its_launch_day_the_report_is_taken(cast):
    launch = cast.period1.campaign.launch_date
    with time_machine.travel(dt.datetime.combine(launch, dt.time(9)), tick=False):
        assert _save(cast).pk is not None
