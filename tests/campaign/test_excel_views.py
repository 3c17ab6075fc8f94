"""The compiler's Excel pages: download, upload → preview → confirm, exports; 403 for others."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign import import_preview, imports, xlsx
from campaign.models import ImportBatch, Period, Report

from . import excel_factories as f

RESULT_FIELDS = [c.field for c in xlsx.RESULT_COLUMNS]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def upload(client, url: str, data: bytes, name: str = "ket-qua.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(url, {"file": file})


@pytest.mark.django_db
def test_compiler_downloads_fills_previews_and_confirms(client, cast):
    client.force_login(cast.compiler)
    assert client.get(reverse("excel:index")).status_code == 200
    response = client.get(reverse("excel:template_results", args=[1]))
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert "mau-ket-qua-TEST2025-ky-1.xlsx" in response["Content-Disposition"]
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    data = f.fill(body(response), {"AAA": f.labelled(xlsx.RESULTS, values)})

    response = upload(client, reverse("excel:upload_results", args=[1]), data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("excel:preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Mới" in page and "230.000.000.000" in page and "Xác nhận nhập" in page
    assert not Report.objects.exists()  # the preview writes nothing

    response = client.post(reverse("excel:confirm", args=[batch.pk]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert {name: getattr(report, name) for name in RESULT_FIELDS} == values
    assert report.submitted_by == cast.compiler and report.import_batch == batch
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert "Đã nhập" in page and "Xác nhận nhập" not in page


def another_periods_file_previewed(client, cast) -> ImportBatch:
    """Period 1's template, filled, uploaded into period 2."""
    client.force_login(cast.compiler)
    template = body(client.get(reverse("excel:template_results", args=[1])))
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    data = f.fill(template, {"AAA": f.labelled(xlsx.RESULTS, values)})
    upload(client, reverse("excel:upload_results", args=[2]), data)
    return ImportBatch.objects.get()


@pytest.mark.django_db
def test_another_periods_file_is_imported_only_once_its_warning_is_accepted(client, cast):
    batch = another_periods_file_previewed(client, cast)
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert "Tệp này được tạo từ mẫu của phong trào TEST2025, kỳ 1" in page
    assert 'name="warnings_accepted"' in page and "đúng là của Tháng 11/2025" in page
    response = client.post(reverse("excel:confirm", args=[batch.pk]), follow=True)
    assert any("hãy đánh dấu ô xác nhận" in str(m) for m in response.context["messages"])
    assert not Report.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEW  # still to confirm
    client.post(reverse("excel:confirm", args=[batch.pk]), {"warnings_accepted": "1"})
    assert Report.objects.get().period.number == 2


@pytest.mark.django_db
def test_a_cancelled_import_writes_nothing_and_cannot_be_confirmed_after(client, cast):
    batch = another_periods_file_previewed(client, cast)
    response = client.post(reverse("excel:cancel", args=[batch.pk]), follow=True)
    assert any("Đã hủy lần nhập" in str(m) for m in response.context["messages"])
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    client.post(reverse("excel:confirm", args=[batch.pk]), {"warnings_accepted": "1"})
    assert not Report.objects.exists()
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert "Đã hủy" in page and "Xác nhận nhập</button>" not in page


@pytest.mark.django_db
def test_an_upload_that_can_no_longer_be_applied_can_still_be_cancelled(client, cast):
    batch = another_periods_file_previewed(client, cast)
    Period.objects.filter(pk=cast.periods[1].pk).update(status=Period.Status.LOCKED)
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert "Xác nhận nhập</button>" not in page and "Hủy lần nhập này" in page
    client.post(reverse("excel:cancel", args=[batch.pk]))
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED


@pytest.mark.django_db
def test_cancel_says_403_before_anything_else_to_other_roles(client, cast):
    client.force_login(cast.staff_a)
    assert client.post(reverse("excel:cancel", args=[999])).status_code == 403


@pytest.mark.django_db
def test_preview_shows_old_and_new_values_of_a_changed_report(client, cast, make_report):
    make_report(cast.period1, cast.office_a, revenue=250_000_000_000)
    client.force_login(cast.compiler)
    rows = [["AAA", "A", *f.result_values()]]
    upload(client, reverse("excel:upload_results", args=[1]), f.results_sheet(rows))
    page = client.get(reverse("excel:preview", args=[ImportBatch.objects.get().pk])).content.decode()
    assert "Thay đổi" in page and "250.000.000.000" in page and "230.000.000.000" in page


@pytest.mark.django_db
def test_bad_cell_is_shown_with_row_and_column_and_nothing_changes(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    before = list(Report.objects.values_list(*RESULT_FIELDS))
    client.force_login(cast.compiler)
    rows = [["AAA", "A", *f.result_values(revenue=1)], ["BBB", "B", *f.result_values(health_actual="?")]]
    response = upload(client, reverse("excel:upload_results", args=[1]), f.results_sheet(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "Số thu khối DN, HTX, ngoài công lập (đồng)" in page and ">J (" in page
    assert "BHYT" in page and ">E (" in page and "Xác nhận nhập" not in page
    assert client.post(reverse("excel:confirm", args=[batch.pk])).status_code == 302
    assert list(Report.objects.values_list(*RESULT_FIELDS)) == before and Report.objects.count() == 1


@pytest.mark.django_db
def test_hostile_upload_gets_a_clear_message(client, cast):
    client.force_login(cast.compiler)
    response = upload(client, reverse("excel:upload_results", args=[1]), f.XLS_BYTES, "cu.xls")
    page = client.get(response["Location"]).content.decode()
    assert "Excel 97–2003" in page and not Report.objects.exists()


@pytest.mark.django_db
def test_upload_without_a_file_goes_back(client, cast):
    client.force_login(cast.compiler)
    response = client.post(reverse("excel:upload_targets"), {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Hãy chọn một tệp Excel (.xlsx) để tải lên."]
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_empty_file_is_called_empty_not_missing(client, cast):
    client.force_login(cast.compiler)
    response = upload(client, reverse("excel:upload_targets"), b"", name="chi-tieu.xlsx")
    page = client.get(response["Location"]).content.decode()
    assert "Tệp đã chọn trống (0 byte)" in page and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_locked_period_upload_is_refused(client, cast):
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    client.force_login(cast.compiler)
    rows = [["AAA", "A", *f.result_values()]]
    response = upload(client, reverse("excel:upload_results", args=[1]), f.results_sheet(rows))
    assert "khóa sổ" in client.get(response["Location"]).content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_targets_upload_and_confirm(client, cast):
    client.force_login(cast.compiler)
    data = f.sheet_bytes([f.header(xlsx.TARGETS), ["BBB", "B", *f.target_values(late_max="4,25")]])
    upload(client, reverse("excel:upload_targets"), data, "chi-tieu.xlsx")
    batch = ImportBatch.objects.get()
    client.post(reverse("excel:confirm", args=[batch.pk]))
    target = cast.office_b.targets.get()
    assert str(target.late_max) == "4.25" and target.updated_by == cast.compiler


@pytest.mark.django_db
def test_confirm_message_groups_thousands(client, cast, monkeypatch):
    client.force_login(cast.compiler)
    data = f.sheet_bytes([f.header(xlsx.TARGETS), ["BBB", "B", *f.target_values()]])
    upload(client, reverse("excel:upload_targets"), data, "chi-tieu.xlsx")
    batch = ImportBatch.objects.get()
    # A province-sized import: 2.400 new lines, 1.050 changed, 3 unchanged.
    applied = import_preview.ImportPreview(kind=xlsx.TARGETS, campaign=cast.campaign, period=None)
    applied.lines = [import_preview.UnitLine(unit=cast.office_b, row=n, state=state, values={})
                     for state, count in ((import_preview.NEW, 2_400), (import_preview.CHANGED, 1_050),
                                          (import_preview.UNCHANGED, 3)) for n in range(count)]
    monkeypatch.setattr(imports, "import_apply", lambda **kwargs: applied)
    page = client.post(reverse("excel:confirm", args=[batch.pk]), follow=True).content.decode()
    assert "2.400 mới, 1.050 thay đổi, 3 không đổi." in page


@pytest.mark.django_db
def test_compiler_exports_targets_and_reports(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.compiler)
    targets = load_workbook(io.BytesIO(body(client.get(reverse("excel:export_targets"))))).active
    assert targets.cell(row=xlsx.HEADER_ROW, column=9).value == "KH số thu (đồng)"
    response = client.get(reverse("excel:export_reports", args=[1]))
    assert "bao-cao-TEST2025-ky-1.xlsx" in response["Content-Disposition"]
    reports = load_workbook(io.BytesIO(body(response))).active
    assert reports.cell(row=xlsx.HEADER_ROW, column=9).value == "Số thu lũy kế (đồng)"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff_a", "appraiser", "finance", "director"])
def test_other_roles_get_403_everywhere(client, cast, who):
    batch = ImportBatch.objects.create(campaign=cast.campaign, period=cast.period1, kind="results",
                                       file="imports/x.xlsx", original_name="x.xlsx", sha256="0")
    client.force_login(getattr(cast, who))
    rows = [["AAA", "A", *f.result_values()]]
    gets = [
        reverse("excel:index"), reverse("excel:template_targets"),
        reverse("excel:template_results", args=[1]), reverse("excel:preview", args=[batch.pk]),
        reverse("excel:export_targets"), reverse("excel:export_reports", args=[1]),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    assert upload(client, reverse("excel:upload_results", args=[1]), f.results_sheet(rows)).status_code == 403
    assert upload(client, reverse("excel:upload_targets"), f.results_sheet(rows)).status_code == 403
    assert client.post(reverse("excel:confirm", args=[batch.pk])).status_code == 403
    assert client.post(reverse("excel:cancel", args=[batch.pk])).status_code == 403
    assert ImportBatch.objects.count() == 1 and not Report.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEW


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("excel:index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
