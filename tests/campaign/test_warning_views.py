"""Plausibility warnings on the pages: the report form, its submit confirmation, the import
preview (row and column), the period's reports page with the compiler's acknowledgement, the
roll-up's confirmation; and query counts that do not grow with the units."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import ImportBatch, Period, Report, ReportEvent, Target, WarningAcknowledgement
from units.models import Unit

from ..conftest import create_report, report_figures, target_figures
from . import excel_factories as f


def _report_url(period, unit):
    return reverse("campaign:report_edit", args=[period.number, unit.code])


def _post_data(version="0", **overrides):
    data = {k: f"{v:,}".replace(",", ".") for k, v in report_figures(**overrides).items()}
    return data | {"version": version}


@pytest.fixture
def october(cast):
    return create_report(cast.period1, cast.office_a, revenue=230_000_000_000)


def test_staff_saves_a_falling_revenue_and_the_page_says_which_box_and_why(client, cast, october):
    client.force_login(cast.staff_a)
    response = client.post(_report_url(cast.periods[1], cast.office_a),
                           _post_data(revenue=100_000_000_000) | {"save": "1"})
    assert response.status_code == 302  # a warning never refuses
    assert Report.objects.get(period=cast.periods[1]).revenue == 100_000_000_000
    page = client.get(_report_url(cast.periods[1], cast.office_a)).content.decode()
    assert "Số liệu cần kiểm tra lại (1 cảnh báo)" in page
    assert 'href="#id_revenue"' in page
    assert ("Số thu lũy kế 100.000.000.000 đồng thấp hơn Tháng 10/2025 (230.000.000.000 đồng)"
            in page)
    assert "Cảnh báo: Số thu lũy kế" in page  # under the box itself
    assert "Xác nhận đúng" not in page  # staff do not acknowledge


def test_before_submitting_the_confirmation_lists_the_warnings_and_the_report_still_goes(client, cast, october):
    client.force_login(cast.staff_a)
    data = _post_data(health_actual=2_800_000) | {"submit": "1"}
    page = client.post(_report_url(cast.periods[1], cast.office_a), data).content.decode()
    assert "Số liệu có 3 cảnh báo" in page
    assert "Số người tham gia BHYT 2.800.000 người lớn hơn kế hoạch của cả tỉnh (310.000 người)" in page
    assert not Report.objects.filter(period=cast.periods[1]).exists()
    response = client.post(_report_url(cast.periods[1], cast.office_a), data | {"confirm": "1"})
    assert response.status_code == 302
    assert Report.objects.get(period=cast.periods[1]).is_submitted


def test_a_submission_without_warnings_confirms_as_before(client, cast, october):
    client.force_login(cast.staff_a)
    page = client.post(_report_url(cast.periods[1], cast.office_a),
                       _post_data() | {"submit": "1"}).content.decode()
    assert "cảnh báo" not in page


@pytest.fixture
def warned(cast, october):
    return create_report(cast.periods[1], cast.office_a, revenue=220_000_000_000)


def test_the_compiler_sees_the_periods_warnings_and_acknowledges_one(client, cast, warned):
    client.force_login(cast.compiler)
    url = reverse("campaign:period_reports", args=[2])
    page = client.get(url).content.decode()
    assert "1 chưa xử lý" in page and 'id="canh-bao-AAA"' in page
    assert "1 cảnh báo số liệu chưa xử lý" in page
    assert "tỷ lệ trên 200 % chỉ tiêu, tăng quá 3 lần" in page  # the bounds, as set
    assert 'name="fingerprint" value="220000000000,230000000000"' in page
    response = client.post(reverse("campaign:warning_acknowledge", args=[2, "AAA"]), {
        "key": "cumulative_fell:revenue", "fingerprint": "220000000000,230000000000",
        "note": "Đơn vị điều chỉnh giảm số thu tháng 10",
    })
    assert response.status_code == 302 and response["Location"].endswith(url + "#canh-bao")
    ack = WarningAcknowledgement.objects.get()
    assert ack.by == cast.compiler and ack.report == warned
    page = client.get(url).content.decode()
    assert "Đã xác nhận" in page and "Đơn vị điều chỉnh giảm số thu tháng 10" in page
    assert "chưa xử lý" not in page.split('id="canh-bao"')[0]


def test_the_compiler_acknowledges_from_the_report_page_and_returns_to_it(client, cast, warned):
    client.force_login(cast.compiler)
    page = client.get(_report_url(cast.periods[1], cast.office_a)).content.decode()
    assert "Xác nhận đúng" in page and 'name="back" value="report"' in page
    response = client.post(reverse("campaign:warning_acknowledge", args=[2, "AAA"]), {
        "key": "cumulative_fell:revenue", "fingerprint": "220000000000,230000000000",
        "note": "Đã kiểm tra", "back": "report",
    })
    assert response["Location"].endswith(_report_url(cast.periods[1], cast.office_a))
    page = client.get(_report_url(cast.periods[1], cast.office_a)).content.decode()
    assert "Đã xác nhận" in page and "Xác nhận đúng" not in page
    assert ReportEvent.objects.filter(action=ReportEvent.Action.ACKNOWLEDGED).count() == 1


def test_an_acknowledgement_without_a_reason_is_refused_in_words(client, cast, warned):
    client.force_login(cast.compiler)
    response = client.post(reverse("campaign:warning_acknowledge", args=[2, "AAA"]), {
        "key": "cumulative_fell:revenue", "fingerprint": "220000000000,230000000000", "note": "",
    }, follow=True)
    assert "Phải ghi lý do" in response.content.decode()
    assert not WarningAcknowledgement.objects.exists()


@pytest.mark.parametrize("role", ["staff_a", "director", "appraiser", "finance"])
def test_other_roles_get_403_and_nothing_is_acknowledged(client, cast, warned, role):
    client.force_login(getattr(cast, role))
    response = client.post(reverse("campaign:warning_acknowledge", args=[2, "AAA"]), {
        "key": "cumulative_fell:revenue", "fingerprint": "220000000000,230000000000", "note": "x",
    })
    assert response.status_code == 403
    assert not WarningAcknowledgement.objects.exists()


def test_the_roll_ups_confirmation_counts_the_open_warnings_and_does_not_refuse(client, cast, warned):
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    client.force_login(cast.compiler)
    page = client.post(reverse("scoring:rollup", args=[2])).content.decode()
    assert "Còn 1 cảnh báo số liệu chưa được sửa hay xác nhận, ở 1 đơn vị" in page
    assert "Xác nhận tổng hợp và khóa sổ" in page


def test_import_preview_shows_each_warning_at_its_row_and_column(client, cast, october):
    client.force_login(cast.compiler)
    rows = [["AAA", "A", *f.result_values(revenue=200_000_000_000, nonpublic_revenue=0)],
            ["BBB", "B", *f.result_values(health_actual=2_800_000)]]
    file = io.BytesIO(f.results_sheet(rows, title_rows=2))
    file.name = "ket-qua.xlsx"
    client.post(reverse("excel:upload_results", args=[2]), {"file": file})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEW  # warned, not refused
    page = client.get(reverse("excel:preview", args=[batch.pk])).content.decode()
    assert "4 số liệu đáng ngờ cần kiểm tra lại" in page
    # title rows 1-2, header 3: AAA is row 4, BBB row 5; revenue is column I, BHYT column E
    assert ('<td class="num">4</td>\n      <td>I (Số thu lũy kế (đồng))</td>\n'
            "      <td>AAA: Số thu lũy kế 200.000.000.000 đồng thấp hơn Tháng 10/2025") in page
    assert '<td class="num">5</td>\n      <td>E (BHYT)</td>' in page
    assert "Xác nhận nhập" in page and 'name="warnings_accepted"' not in page
    client.post(reverse("excel:confirm", args=[batch.pk]))
    assert Report.objects.filter(period=cast.periods[1]).count() == 2


def _grow(cast, count: int, *, start: int) -> None:
    """`count` more offices, each with a target, an October report and a November report that
    raises a warning (and one of them an acknowledgement)."""
    for i in range(start, start + count):
        unit = Unit.objects.create(code=f"X{i:03d}", name=f"Office {i}", kind=Unit.Kind.LOCAL_OFFICE)
        Target.objects.create(campaign=cast.campaign, unit=unit, **target_figures())
        create_report(cast.period1, unit)
        create_report(cast.periods[1], unit, revenue=100_000_000_000)
    report = Report.objects.filter(period=cast.periods[1], unit__code=f"X{start:03d}").get()
    WarningAcknowledgement.objects.create(report=report, key="cumulative_fell:revenue",
                                          evidence="100000000000,230000000000", message="m", note="n",
                                          by=cast.compiler)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["campaign:period_reports", "scoring:rollup"])
def test_the_warning_pages_send_as_many_queries_for_30_offices_as_for_3(client, cast, page):
    client.force_login(cast.compiler)
    url = reverse(page, args=[2])
    fetch = client.get if page == "campaign:period_reports" else client.post
    _grow(cast, 3, start=0)
    with CaptureQueriesContext(connection) as small:
        assert fetch(url).status_code == 200
    _grow(cast, 27, start=100)
    with CaptureQueriesContext(connection) as large:
        page_text = fetch(url).content.decode()
    assert len(large) == len(small)
    assert "28 cảnh báo số liệu chưa" in page_text  # 30 warned, 2 acknowledged


def test_the_rules_page_states_the_warnings_and_their_bounds(client, cast, settings):
    settings.PLAUSIBILITY_MAX_RATE_PERCENT = 250
    settings.PLAUSIBILITY_MAX_JUMP = "2.5"
    client.force_login(cast.staff_a)
    page = client.get(reverse("scoring:rules")).content.decode()
    assert "Cảnh báo số liệu đáng ngờ" in page
    assert "tỷ lệ thu trên 250 %" in page and "gấp hơn 2,5 lần" in page


def test_the_compilers_roll_up_card_leads_to_the_periods_warnings(client, cast):
    client.force_login(cast.compiler)
    page = client.get(reverse("scoring:ranking", args=[2])).content.decode()
    assert reverse("campaign:period_reports", args=[2]) + "#canh-bao" in page
