"""No write path changes a locked period's reports: form, service, import, admin, command."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaign.models import Period, Report
from campaign.services import NO_ROW_VERSION, report_return, report_save

from ..conftest import report_figures
from .excel_factories import header, result_values, sheet_bytes


@pytest.fixture
def locked(cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    submitted = make_report(cast.period1, cast.office_b)
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    cast.period1.refresh_from_db()
    cast.report, cast.submitted = report, submitted
    return cast


def _unchanged(report):
    before = Report.objects.get(pk=report.pk)
    return before.health_actual == report.health_actual and before.version == report.version


def test_service_save_is_refused(locked):
    with pytest.raises(ValidationError, match="khóa sổ"):
        report_save(user=locked.compiler, period=locked.period1, unit=locked.office_a,
                    data=report_figures(health_actual=1), expected_version=NO_ROW_VERSION)
    assert _unchanged(locked.report)


def test_return_to_draft_is_refused(locked):
    with pytest.raises(ValidationError, match="khóa sổ"):
        report_return(user=locked.compiler, report=locked.submitted, reason="x")
    assert Report.objects.get(pk=locked.submitted.pk).is_submitted


def test_browser_form_is_refused(client, locked):
    client.force_login(locked.staff_a)
    data = {k: str(v) for k, v in report_figures(health_actual=1).items()} | {"save": "1"}
    client.post(reverse("campaign:report_edit", args=[1, "AAA"]), data)
    assert _unchanged(locked.report)


def test_admin_change_is_refused(client, locked):
    client.force_login(locked.admin)
    url = reverse("admin:campaign_report_change", args=[locked.report.pk])
    response = client.post(url, {"health_actual": "1"})
    assert response.status_code == 403
    assert _unchanged(locked.report)


def test_admin_cannot_add_a_report_to_a_locked_period(client, locked):
    client.force_login(locked.admin)
    data = {k: str(v) for k, v in report_figures().items()} | {
        "period": locked.period1.pk, "unit": locked.office_c.pk, "status": "draft", "source": "form",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:campaign_report_add"), data)
    assert response.status_code == 403
    assert not Report.objects.filter(unit=locked.office_c).exists()


def test_import_command_is_refused(locked, tmp_path):
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(sheet_bytes([header("results"), ["AAA", "A", *result_values(health_actual=1)]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_results", str(path), "--campaign", "TEST2025", "--period", "1",
                     stdout=out, stderr=out)
    assert "khóa sổ" in out.getvalue()
    assert _unchanged(locked.report)


def test_admin_cannot_reopen_a_period_through_its_status(client, locked):
    client.force_login(locked.admin)
    url = reverse("admin:campaign_period_change", args=[locked.period1.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page  # read-only: reopening goes through period_reopen
