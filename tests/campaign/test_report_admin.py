"""The admin shows reports but never writes them: writes go through campaign.services."""

from django.urls import reverse

from campaign.models import Report

from ..conftest import report_figures


def test_admin_sees_an_open_periods_report_with_its_figures(client, cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft", health_actual=95_123)
    client.force_login(cast.admin)
    page = client.get(reverse("admin:campaign_report_change", args=[report.pk]))
    assert page.status_code == 200
    assert "95123" in page.content.decode().replace(".", "").replace(",", "")
    assert client.get(reverse("admin:campaign_report_history", args=[report.pk])).status_code == 200


def test_admin_cannot_change_an_open_periods_report(client, cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    client.force_login(cast.admin)
    data = {k: str(v) for k, v in report_figures(health_actual=1).items()} | {
        "period": cast.period1.pk, "unit": cast.office_a.pk, "status": "submitted", "source": "form",
    }
    response = client.post(reverse("admin:campaign_report_change", args=[report.pk]), data)
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.health_actual == 95_000 and report.status == Report.Status.DRAFT


def test_admin_cannot_add_or_delete_a_report(client, cast, make_report):
    report = make_report(cast.period1, cast.office_a, status="draft")
    client.force_login(cast.admin)
    data = {k: str(v) for k, v in report_figures().items()} | {
        "period": cast.period1.pk, "unit": cast.office_b.pk, "status": "draft", "source": "form",
    }
    assert client.post(reverse("admin:campaign_report_add"), data).status_code == 403
    delete = client.post(reverse("admin:campaign_report_delete", args=[report.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert list(Report.objects.values_list("unit__code", flat=True)) == ["AAA"]


def test_a_warnings_acknowledgement_is_shown_in_the_admin_and_never_changed_there(client, cast, make_report):
    from campaign.models import WarningAcknowledgement

    report = make_report(cast.period1, cast.office_a)
    ack = WarningAcknowledgement.objects.create(
        report=report, key="jump:late", evidence="1,2", message="Số tiền chậm đóng…",
        note="Đã kiểm tra với đơn vị", by=cast.compiler,
    )
    client.force_login(cast.admin)
    assert "Đã kiểm tra với đơn vị" in client.get(
        reverse("admin:campaign_report_change", args=[report.pk])).content.decode()
    assert client.get(reverse("admin:campaign_warningacknowledgement_changelist")).status_code == 200
    change = client.post(reverse("admin:campaign_warningacknowledgement_change", args=[ack.pk]),
                         {"note": "khác", "key": "x", "evidence": "0"})
    delete = client.post(reverse("admin:campaign_warningacknowledgement_delete", args=[ack.pk]),
                         {"post": "yes"})
    assert change.status_code == delete.status_code == 403
    ack.refresh_from_db()
    assert ack.note == "Đã kiểm tra với đơn vị"
