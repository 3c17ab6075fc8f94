"""The app's writes of a campaign's definition (campaign/setup.py): the next campaign as a copy,
an edit or an upload of one still to start, by the administrator alone; a started campaign's
definition is refused in the service, whatever page or client asks."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from campaign.definition import DefinitionError, dump, load
from campaign.models import Campaign, Period, Target
from campaign.setup import (
    campaign_copy,
    campaign_define,
    campaign_load,
    campaign_upload,
    copy_definition,
    copy_years,
    definition_of,
)

from ..conftest import VN
from .test_definition import NEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_june_2026():
    """TEST2025 (the cast's) has run; a copy a year on (October 2026) is still to start."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=VN), tick=False):
        yield


def test_the_administrator_copies_a_campaign_into_the_next_year_without_its_targets(cast, in_june_2026):
    result = campaign_copy(user=cast.admin, source=cast.campaign, code="TEST2026",
                           name="Thi đua thử năm sau")
    copy = result.campaign
    assert result.created and copy.code == "TEST2026" and copy.year == 2026
    assert (copy.launch_date, copy.end_date, copy.baseline_date) == (
        dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2025, 12, 31))
    assert [(p.name, p.first_day, p.last_day, p.participant_threshold) for p in copy.periods.all()] == [
        ("Tháng 10/2026", dt.date(2026, 10, 1), dt.date(2026, 10, 31), Decimal("81")),
        ("Tháng 11/2026", dt.date(2026, 11, 1), dt.date(2026, 11, 30), Decimal("91")),
        ("Tháng 12/2026", dt.date(2026, 12, 1), dt.date(2026, 12, 31), Decimal("100")),
    ]
    assert copy.periods.get(number=3).rollup_due_at == dt.datetime(2027, 1, 5, 7, 0, tzinfo=VN)
    assert definition_of(copy).prizes == definition_of(cast.campaign).prizes
    assert (copy.dispatch_number, copy.dispatch_date) == ("", None)
    assert not Target.objects.filter(campaign=copy).exists()
    assert Target.objects.filter(campaign=cast.campaign).count() == 4


def test_a_copy_with_a_code_in_use_a_malformed_code_or_no_name_lists_every_error_and_writes_nothing(
        cast, in_june_2026):
    with pytest.raises(DefinitionError) as caught:
        campaign_copy(user=cast.admin, source=cast.campaign, code="TEST2025", name="")
    assert [e.split(":")[0] for e in caught.value.errors] == ["code", "name"]
    assert "đã là của phong trào «Thi đua thử»" in caught.value.errors[0]
    with pytest.raises(DefinitionError) as caught:
        campaign_copy(user=cast.admin, source=cast.campaign, code="sai ma", name="Tên")
    assert caught.value.errors[0].startswith("code: «sai ma» chỉ gồm chữ in hoa")
    assert Campaign.objects.count() == 1


def test_a_copy_that_would_already_have_launched_is_refused(cast, in_june_2026):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=VN), tick=False):
        with pytest.raises(DefinitionError) as caught:
            campaign_copy(user=cast.admin, source=cast.campaign, code="TEST2026", name="Sau")
        assert caught.value.errors[0].startswith("launch_date: ngày phát động 01/10/2026 phải sau hôm nay (02/11/2026)")
        # The page's default then is the first year whose launch is still to come.
        assert copy_years(cast.campaign) == 2
        assert campaign_copy(user=cast.admin, source=cast.campaign, code="TEST2027", name="Sau",
                             years=2).campaign.launch_date == dt.date(2027, 10, 1)


def test_a_months_last_day_stays_the_last_day_so_periods_stay_consecutive():
    february = NEXT.replace("2030-09-15", "2027-02-01").replace("2030-09-30", "2027-02-28") \
        .replace("2030-10-01", "2027-03-01").replace("2030-10-31", "2027-03-31") \
        .replace("2030-12-31", "2027-03-31").replace("2030-10-05", "2027-03-05") \
        .replace("2030-11-05", "2027-04-05").replace("year = 2030", "year = 2027")
    source = load(february)
    leap = copy_definition(source, code="LEAP2028", name="Năm nhuận")
    assert [(p.first_day, p.last_day) for p in leap.periods] == [
        (dt.date(2028, 2, 1), dt.date(2028, 2, 29)), (dt.date(2028, 3, 1), dt.date(2028, 3, 31))]
    assert load(dump(leap)) == leap


@pytest.mark.parametrize("role", ["compiler", "appraiser", "finance", "director", "staff_a"])
def test_only_the_administrator_creates_edits_or_uploads_a_definition(cast, in_june_2026, role):
    user = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        campaign_copy(user=user, source=cast.campaign, code="TEST2026", name="Sau")
    with pytest.raises(PermissionDenied):
        campaign_define(user=user, definition=load(NEXT))
    with pytest.raises(PermissionDenied):
        campaign_upload(user=user, data=NEXT.encode())
    assert Campaign.objects.count() == 1


def test_a_started_campaign_is_refused_by_the_service_whatever_asks(cast, in_june_2026):
    stored = definition_of(cast.campaign)
    with pytest.raises(ValidationError) as caught:
        campaign_define(user=cast.admin, definition=stored)
    assert "đã bắt đầu từ ngày 01/10/2025" in caught.value.messages[0]
    # An upload over it says so too, rather than only that its launch date is past.
    with pytest.raises(ValidationError) as caught:
        campaign_upload(user=cast.admin, data=dump(stored).replace("budget = 54000000", "budget = 1").encode())
    assert "đã bắt đầu" in caught.value.messages[0]
    assert Campaign.objects.get().budget == 54_000_000


def test_an_upload_creates_the_campaign_then_updates_it_until_it_starts(cast, in_june_2026):
    created = campaign_upload(user=cast.admin, data=NEXT.encode())
    assert created.created and created.campaign.code == "NUOCRUT2030"
    changed = campaign_upload(user=cast.admin, data=NEXT.replace('"80"', '"85"').encode())
    assert not changed.created and changed.changed == ["kỳ 2: participant_threshold, revenue_threshold"]
    assert Period.objects.get(campaign__code="NUOCRUT2030", number=2).participant_threshold == 85
    with time_machine.travel(dt.datetime(2030, 9, 15, 9, 0, tzinfo=VN), tick=False):
        with pytest.raises(ValidationError):
            campaign_upload(user=cast.admin, data=NEXT.encode())


def test_an_upload_lists_every_error_with_its_key_and_writes_nothing(cast, in_june_2026):
    bad = NEXT.replace('participant_threshold = "70"', 'participant_threshold = "120"') \
        .replace("first_day = 2030-10-01", "first_day = 2030-09-20")
    with pytest.raises(DefinitionError) as caught:
        campaign_upload(user=cast.admin, data=bad.encode())
    assert [e.split(":")[0] for e in caught.value.errors] == [
        "periods[1].participant_threshold", "periods[2].first_day"]
    assert "chồng lên kỳ trước" in caught.value.errors[1]
    with pytest.raises(DefinitionError) as caught:
        campaign_upload(user=cast.admin, data="code = \xff".encode("latin-1"))
    assert "UTF-8" in caught.value.errors[0]
    assert not Campaign.objects.filter(code="NUOCRUT2030").exists()


def test_a_ladder_dearer_than_the_budget_is_loaded_with_its_warning(cast, in_june_2026):
    result = campaign_upload(user=cast.admin, data=NEXT.replace("budget = 120000000", "budget = 1000000").encode())
    assert result.created
    assert result.warnings == ["budget: thang giải có thể tốn tới 20.200.000 đồng cho 2 kỳ, "
                               "nhiều hơn kinh phí 1.000.000 đồng."]


def test_the_edit_keeps_the_campaigns_code(cast, in_june_2026):
    campaign = campaign_load(definition=load(NEXT)).campaign
    with pytest.raises(DefinitionError) as caught:
        campaign_define(user=cast.admin, campaign=campaign,
                        definition=load(NEXT.replace('code = "NUOCRUT2030"', 'code = "KHAC"')))
    assert caught.value.errors[0].startswith("code:")
    assert not Campaign.objects.filter(code="KHAC").exists()
