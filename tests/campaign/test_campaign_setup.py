"""Campaigns as data (campaign/setup.py, `campaign_load`, `campaign_dump`): a definition creates
a campaign, updates what may still change, never what a locked period rests on."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campaign.definition import DefinitionError, dump, load
from campaign.models import Campaign, Period, PrizeLevel, Report
from campaign.setup import campaign_load, copy_definition, definition_of
from units.models import Unit

from .test_definition import NEXT

pytestmark = pytest.mark.django_db


def test_a_definition_creates_the_campaign_its_periods_and_its_ladder():
    result = campaign_load(definition=load(NEXT))
    assert result.created
    campaign = Campaign.objects.get(code="NUOCRUT2030")
    assert campaign.baseline_date == dt.date(2029, 12, 31)
    assert campaign.dispatch_date == dt.date(2030, 9, 15)
    assert campaign.legal_basis_lines == ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]
    assert [(p.number, p.first_day, p.participant_threshold) for p in campaign.periods.all()] == [
        (1, dt.date(2030, 9, 15), Decimal("70")), (2, dt.date(2030, 10, 1), Decimal("80")),
    ]
    assert list(campaign.prize_levels.values_list("position", "key", "count", "amount", "individuals")) == [
        (1, "first", 1, 6_000_000, 3), (2, "khuyen-khich", 2, 1_000_000, 0),
    ]


def test_loading_the_same_definition_again_changes_nothing():
    campaign_load(definition=load(NEXT))
    ids = list(PrizeLevel.objects.values_list("pk", flat=True))
    again = campaign_load(definition=load(NEXT))
    assert (again.created, again.changed) == (False, [])
    assert list(PrizeLevel.objects.values_list("pk", flat=True)) == ids


def test_a_stored_campaign_dumps_to_the_definition_it_was_loaded_from():
    d = load(NEXT)
    campaign_load(definition=d)
    assert definition_of(Campaign.objects.get(code=d.code)) == d


def test_an_open_period_and_the_ladder_follow_the_file():
    campaign_load(definition=load(NEXT))
    changed = NEXT.replace('revenue_threshold = "80"', 'revenue_threshold = "85"').replace("count = 2", "count = 4")
    result = campaign_load(definition=load(changed))
    assert result.changed == ["kỳ 2: revenue_threshold", "thang giải"]
    assert Period.objects.get(number=2).revenue_threshold == Decimal("85")
    assert PrizeLevel.objects.get(key="khuyen-khich").count == 4


def test_a_locked_period_keeps_its_dates_and_thresholds_and_nothing_is_written():
    campaign_load(definition=load(NEXT))
    Period.objects.filter(number=1).update(status=Period.Status.LOCKED)
    changed = (NEXT.replace('participant_threshold = "70"', 'participant_threshold = "60"')
               .replace("budget = 120000000", "budget = 99000000"))
    with pytest.raises(DefinitionError) as caught:
        campaign_load(definition=load(changed))
    assert caught.value.errors[0].startswith("periods[1].participant_threshold: kỳ 1 đã tổng hợp và khóa")
    assert Campaign.objects.get().budget == 120_000_000
    assert Period.objects.get(number=1).participant_threshold == Decimal("70")


def test_a_period_with_reports_is_not_removed():
    from tests.conftest import report_figures

    campaign_load(definition=load(NEXT))
    office = Unit.objects.create(code="X1", name="BHXH cơ sở X", kind=Unit.Kind.LOCAL_OFFICE)
    Report.objects.create(period=Period.objects.get(number=2), unit=office, **report_figures())
    one_period = NEXT[: NEXT.index("[[periods]]\nnumber = 2")]
    one_period = one_period.replace("end_date = 2030-12-31", "end_date = 2030-09-30")
    with pytest.raises(DefinitionError) as caught:
        campaign_load(definition=load(one_period))
    assert caught.value.errors == ["periods[2]: kỳ 2 đã khóa hoặc đã có báo cáo, không bỏ được."]
    assert Period.objects.count() == 2


def test_the_next_campaign_is_a_copy_a_year_later_without_its_dispatch():
    source = load(NEXT)
    copy = copy_definition(source, code="NUOCRUT2031", name="Phong trào năm sau")
    assert copy.launch_date == dt.date(2031, 9, 15)
    assert copy.baseline_date == dt.date(2030, 12, 31)
    assert [p.name for p in copy.periods] == ["Tháng 9/2031", "Tháng 10/2031"]
    assert copy.periods[0].rollup_due.isoformat() == "2031-10-05T07:00:00+07:00"
    assert (copy.dispatch_number, copy.dispatch_date) == ("", None)
    assert copy.prizes == source.prizes
    assert load(dump(copy)) == copy


def test_the_commands_load_and_dump_a_file(tmp_path):
    path = tmp_path / "next.toml"
    path.write_text(NEXT, encoding="utf-8")
    out = StringIO()
    call_command("campaign_load", str(path), stdout=out)
    assert "Đã tạo phong trào NUOCRUT2030 với 2 kỳ." in out.getvalue()
    dumped = tmp_path / "dumped.toml"
    call_command("campaign_dump", "NUOCRUT2030", "-o", str(dumped), stdout=StringIO())
    assert load(dumped.read_text(encoding="utf-8")) == load(NEXT)
    out = StringIO()
    call_command("campaign_load", str(dumped), stdout=out)
    assert "không có thay đổi" in out.getvalue()


def test_the_load_command_lists_every_error_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(NEXT.replace('"70"', '"170"').replace("year = 2030", "year = 1800"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("campaign_load", str(path), stdout=StringIO(), stderr=StringIO())
    message = str(caught.value)
    assert "có 2 lỗi, chưa ghi gì" in message
    assert "year:" in message and "periods[1].participant_threshold:" in message
    assert not Campaign.objects.exists()
