"""Two people editing the same report or target: the second save is refused, the first kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import Report, Target
from campaign.services import report_save, target_save

from ..conftest import report_figures, target_figures


def test_second_report_save_from_a_stale_page_is_refused_and_the_first_kept(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures())
    opened = report.version  # both people opened the page at this version
    report_save(user=cast.compiler, period=cast.period1, unit=cast.office_a,
                data=report_figures(revenue=231_000_000_000), expected_version=opened)
    with pytest.raises(ValidationError, match="vừa được"):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                    data=report_figures(revenue=232_000_000_000), expected_version=opened)
    assert Report.objects.get(unit=cast.office_a).revenue == 231_000_000_000


def test_every_save_counts_a_version_whatever_the_path(cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    assert report.version == 1
    report.health_actual = 5
    report.save()
    report.save(update_fields=["health_actual"])
    report.refresh_from_db()
    assert report.version == 3


def test_second_target_save_from_a_stale_page_is_refused(cast):
    opened = Target.objects.get(unit=cast.office_a).version
    target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                data=target_figures(health_plan=111_111), expected_version=opened)
    with pytest.raises(ValidationError):
        target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                    data=target_figures(health_plan=222_222), expected_version=opened)
    assert Target.objects.get(unit=cast.office_a).health_plan == 111_111


def test_report_page_refuses_a_stale_post_with_a_message(client, cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    client.force_login(cast.staff_a)
    url = reverse("campaign:report_edit", args=[1, "AAA"])
    data = {k: str(v) for k, v in report_figures().items()} | {"version": str(report.version), "save": "1"}
    Report.objects.get(pk=report.pk).save()  # someone else saves meanwhile
    response = client.post(url, data | {"health_actual": "999"})
    assert "vừa được" in response.content.decode()
    assert Report.objects.get(pk=report.pk).health_actual != 999


def test_history_shows_who_changed_what_to_the_compiler(client, cast):
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures())
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                data=report_figures(revenue=240_000_000_000))
    client.force_login(cast.compiler)
    page = client.get(reverse("campaign:report_edit", args=[1, "AAA"])).content.decode()
    assert "Lịch sử thay đổi số liệu" in page
    assert "230.000.000.000 → <strong>240.000.000.000</strong>" in page


def test_staff_do_not_see_the_audit_history(client, cast):
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures())
    client.force_login(cast.staff_a)
    page = client.get(reverse("campaign:report_edit", args=[1, "AAA"])).content.decode()
    assert "Lịch sử thay đổi số liệu" not in page


def test_every_save_is_recorded_in_the_history(cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    report.health_actual = 1
    report.save()
    assert report.history.count() == 2
