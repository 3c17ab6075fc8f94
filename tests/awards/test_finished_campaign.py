"""A finished campaign (end date passed, every period locked, every dossier settled) stays
readable on every page and refuses every write, in its services and not only on its pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.models import Dossier
from campaign import imports, lifecycle
from campaign import services as campaign_services
from campaign.models import Campaign, Period, Report
from scoring.services import period_reopen, period_rollup

from ..conftest import report_figures, target_figures
from .conftest import advance, set_state

FINISHED = "đã kết thúc"


@pytest.fixture
def finished(rolled):
    """Period 1 rolled up and its dossier paid, through the workflow; the other two months
    locked."""
    advance(rolled, rolled.dossier, Dossier.State.PAID)
    Period.objects.filter(campaign=rolled.campaign).update(status=Period.Status.LOCKED)
    return rolled


def test_dossier_states_settled_are_the_awards_final_states():
    assert set(lifecycle.SETTLED_DOSSIER_STATES) == {Dossier.State.PAID, Dossier.State.CANCELLED}


def test_a_campaign_is_finished_only_when_ended_locked_and_settled(rolled):
    campaign = rolled.campaign
    after_end = campaign.end_date + dt.timedelta(days=1)
    assert lifecycle.campaign_stage(campaign, today=campaign.launch_date - dt.timedelta(days=1)) == "preparing"
    Period.objects.filter(campaign=campaign).update(status=Period.Status.LOCKED)
    assert lifecycle.campaign_stage(campaign, today=campaign.end_date) == "running"  # not ended yet
    assert lifecycle.campaign_stage(campaign, today=after_end) == "running"  # the dossier is a draft
    set_state(rolled.dossier, Dossier.State.APPROVED)
    assert not lifecycle.campaign_is_finished(campaign, today=after_end)  # still to be paid
    set_state(rolled.dossier, Dossier.State.PAID)
    assert lifecycle.campaign_stage(campaign, today=after_end) == "finished"
    Period.objects.filter(pk=rolled.periods[2].pk).update(status=Period.Status.OPEN)
    assert lifecycle.campaign_stage(campaign, today=after_end) == "running"


def test_every_write_service_refuses_a_finished_campaign(finished, make_report):
    cast = finished
    report = Report.objects.get(period=cast.period1, unit=cast.office_a)
    writes = [
        lambda: campaign_services.report_save(user=cast.staff_a, period=cast.periods[2], unit=cast.office_a,
                                              data=report_figures(), expected_version=0),
        lambda: campaign_services.report_return(user=cast.compiler, report=report, reason="Sai số"),
        lambda: campaign_services.target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                                              data=target_figures(), expected_version=1),
        lambda: imports.import_upload(user=cast.compiler, kind="targets", campaign=cast.campaign,
                                      upload=b"PK", file_name="chi-tieu.xlsx"),
        lambda: period_reopen(period=cast.period1, user=cast.compiler, reason="Xem lại"),
        lambda: period_rollup(period=cast.periods[1], user=cast.compiler),
        lambda: services.nomination_create(user=cast.compiler, dossier=cast.dossier, unit=cast.tchc,
                                           reason="Tham mưu tốt"),
        lambda: services.dossier_submit(user=cast.compiler, dossier=cast.dossier),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as refused:
            write()
        assert FINISHED in " ".join(refused.value.messages), refused.value.messages
    assert Period.objects.filter(campaign=cast.campaign, status=Period.Status.OPEN).count() == 0


def test_every_page_of_a_finished_campaign_still_opens(client, finished):
    client.force_login(finished.admin)
    dossier = finished.dossier
    for name, args in [
        ("scoring:ranking", [1]), ("scoring:snapshot", [dossier.snapshot.pk]), ("awards:summary", []),
        ("awards:budget", []), ("awards:dossiers", []), ("awards:dossier", [dossier.pk]),
        ("awards:award_list_xlsx", [dossier.pk]), ("awards:summary_xlsx", []),
        ("dashboard:dashboard", []), ("dashboard:export", []), ("excel:export_targets", []),
        ("dashboard:unit_panel", ["AAA"]), ("campaign:targets", []),
    ]:
        url = reverse(name, args=args)
        assert url.startswith("/phong-trao/TEST2025/")
        assert client.get(url).status_code == 200, name


def test_the_archive_lists_every_campaign_with_its_stage(client, finished):
    Campaign.objects.create(code="NEXT2026", name="Phong trào năm sau", year=2026,
                            launch_date=dt.date(2099, 9, 15), end_date=dt.date(2099, 12, 31))
    client.force_login(finished.staff_a)
    page = client.get("/phong-trao/").content.decode()
    assert 'data-stage="finished"' in page and 'data-stage="preparing"' in page
    assert 'href="/phong-trao/TEST2025/xep-hang/"' in page and 'href="/phong-trao/NEXT2026/"' in page


def test_the_unit_panel_shows_its_record_across_campaigns(client, finished):
    line = finished.dossier.lines.select_related("unit").order_by("position").first()
    client.force_login(finished.admin)
    page = client.get(reverse("dashboard:unit_panel", args=[line.unit.code])).content.decode()
    record = page[page.index('id="thanh-tich"'):]
    assert finished.campaign.name in record and "Tháng 10/2025" in record
    assert line.prize_name in record and "Đã chi trả" in record
