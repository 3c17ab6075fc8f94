"""Two people editing the same report or target: the second save is refused, the first kept."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign.models import Report, Target
from campaign.services import NO_ROW_VERSION, report_save, target_save

from ..conftest import report_figures, target_figures


def test_second_report_save_from_a_stale_page_is_refused_and_the_first_kept(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)
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
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                data=report_figures(revenue=240_000_000_000), expected_version=1)
    client.force_login(cast.compiler)
    page = client.get(reverse("campaign:report_edit", args=[1, "AAA"])).content.decode()
    assert "Lịch sử thay đổi số liệu" in page
    assert "230.000.000.000 → <strong>240.000.000.000</strong>" in page


def test_staff_do_not_see_the_audit_history(client, cast):
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)
    client.force_login(cast.staff_a)
    page = client.get(reverse("campaign:report_edit", args=[1, "AAA"])).content.decode()
    assert "Lịch sử thay đổi số liệu" not in page


def test_every_save_is_recorded_in_the_history(cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    report.health_actual = 1
    report.save()
    assert report.history.count() == 2


# --- a first save, and a version the client leaves out ----------------------------------------

def test_a_second_first_save_from_a_page_opened_before_any_report_is_refused(cast):
    """Two tabs open a unit's page while it has no report: the first save wins, the second is
    told who saved and when instead of overwriting it."""
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                data=report_figures(mandatory_actual=1000), expected_version=NO_ROW_VERSION)
    with pytest.raises(ValidationError, match="vừa được .* cập nhật lúc"):
        report_save(user=cast.compiler, period=cast.period1, unit=cast.office_a,
                    data=report_figures(mandatory_actual=9999), expected_version=NO_ROW_VERSION)
    report = Report.objects.get(unit=cast.office_a)
    assert (report.mandatory_actual, report.version, report.events.count()) == (1000, 1, 1)


def test_a_second_first_target_save_is_refused(cast):
    Target.objects.filter(unit=cast.office_a).delete()
    target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                data=target_figures(health_plan=111_111), expected_version=NO_ROW_VERSION)
    with pytest.raises(ValidationError, match="vừa được .* cập nhật lúc"):
        target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                    data=target_figures(health_plan=222_222), expected_version=NO_ROW_VERSION)
    assert Target.objects.get(unit=cast.office_a).health_plan == 111_111


def test_a_report_save_without_a_version_is_refused_and_nothing_written(cast):
    expected = None
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), expected_version=NO_ROW_VERSION)
    with pytest.raises(ValidationError, match="phiên bản nào"):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                    data=report_figures(revenue=1), expected_version=expected)
    with pytest.raises(ValidationError, match="phiên bản nào"):
        report_save(user=cast.staff_b, period=cast.period1, unit=cast.office_b,
                    data=report_figures(), expected_version=expected)
    assert Report.objects.get(pk=report.pk).revenue == report_figures()["revenue"]
    assert not Report.objects.filter(unit=cast.office_b).exists()


def test_a_target_save_without_a_version_is_refused(cast):
    before = Target.objects.get(unit=cast.office_a)
    with pytest.raises(ValidationError, match="phiên bản nào"):
        target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_a,
                    data=target_figures(health_plan=1), expected_version=None)
    after = Target.objects.get(unit=cast.office_a)
    assert (after.health_plan, after.version) == (before.health_plan, before.version)


def test_a_save_naming_a_version_for_a_report_that_does_not_exist_is_refused(cast):
    with pytest.raises(ValidationError, match="không còn trên hệ thống"):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                    data=report_figures(), expected_version=3)
    assert not Report.objects.exists()


def test_the_report_page_says_it_was_opened_with_no_report(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("campaign:report_edit", args=[1, "AAA"])).content.decode()
    assert 'name="version" value="0"' in page


def _report_post(**extra):
    return {k: str(v) for k, v in report_figures().items()} | {"save": "1"} | extra


def _opened_version(page: str) -> str:
    """The hidden version as the browser would post it back ("" when the page has none)."""
    match = re.search(r'name="version"(?: value="([^"]*)")?', page)
    assert match, "the form carries no version field"
    return match.group(1) or ""


def test_two_tabs_opened_before_the_first_report_keep_the_first_save(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("campaign:report_edit", args=[1, "AAA"])
    tab1 = _opened_version(client.get(url).content.decode())
    tab2 = _opened_version(client.get(url).content.decode())
    assert client.post(url, _report_post(version=tab1, mandatory_actual="1000")).status_code == 302
    page = client.post(url, _report_post(version=tab2, mandatory_actual="9999")).content.decode()
    assert "vừa được" in page and "chưa được lưu" in page
    assert Report.objects.get(unit=cast.office_a).mandatory_actual == 1000


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_report_post_without_a_usable_version_is_refused_with_a_message(client, cast, make_report, version):
    report = make_report(cast.period1, cast.office_a, status="draft")
    client.force_login(cast.staff_a)
    data = _report_post(health_actual="999")
    if version is not None:
        data["version"] = version
    page = client.post(reverse("campaign:report_edit", args=[1, "AAA"]), data).content.decode()
    assert "phiên bản nào" in page
    after = Report.objects.get(pk=report.pk)
    assert (after.health_actual, after.version) == (report.health_actual, report.version)


def _target_post(**overrides):
    data = {k: str(v) for k, v in target_figures(**overrides).items()}
    return data | {"late_max": "3,5", "late_interest_max": "2"}


@pytest.mark.parametrize("version", [None, ""])
def test_a_target_post_without_a_version_is_refused_with_a_message(client, cast, version):
    before = Target.objects.get(unit=cast.office_a)
    client.force_login(cast.compiler)
    data = _target_post(health_plan=5)
    if version is not None:
        data["version"] = version
    page = client.post(reverse("campaign:target_edit", args=["AAA"]), data).content.decode()
    assert "phiên bản nào" in page
    assert Target.objects.get(unit=cast.office_a).version == before.version


def test_two_tabs_opened_before_the_first_target_keep_the_first_save(client, cast):
    Target.objects.filter(unit=cast.office_a).delete()
    client.force_login(cast.compiler)
    url = reverse("campaign:target_edit", args=["AAA"])
    tab1 = _opened_version(client.get(url).content.decode())
    tab2 = _opened_version(client.get(url).content.decode())
    assert client.post(url, _target_post(health_plan=111) | {"version": tab1}).status_code == 302
    page = client.post(url, _target_post(health_plan=222) | {"version": tab2}).content.decode()
    assert "vừa được" in page
    assert Target.objects.get(unit=cast.office_a).health_plan == 111
