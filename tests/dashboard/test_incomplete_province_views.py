"""Pages, the export and the unit panel while the province totals lack reports: never the
totals' rates as the province's, always how many units they cover, the like-for-like rates
labelled as such; and the ranking's key on the page."""

import io
import json
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import Report
from rules import engine
from scoring.models import Snapshot
from scoring.services import period_rollup

from ..scoring.test_rollup_coverage import QLT_OWN

COLLAPSE = "165,0 %"  # the sums' mandatory rate over the province target: −165,0 %


@pytest.fixture
def one_draft(cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b)
    make_report(cast.period1, cast.office_c, status=Report.Status.DRAFT)
    make_report(cast.period1, cast.qlt, **QLT_OWN)
    return cast


def _embedded(page: str, name: str):
    return json.loads(page.split(f'<script id="{name}" type="application/json">')[1].split("</script>")[0])


def test_the_dashboard_shows_coverage_and_like_for_like_never_the_totals_rate(client, one_draft):
    client.force_login(one_draft.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    assert "Chưa đủ báo cáo</span> <strong>3/4 đơn vị đã gửi</strong>" in page
    assert "Tỷ lệ trên chỉ tiêu của các đơn vị đã gửi" in page
    assert "63,3 %" in page and "88,5 %" in page
    assert COLLAPSE not in page
    assert "báo cáo chưa gửi (thiếu hoặc bản nháp) được tính bằng 0" in page


def test_the_trend_marks_the_incomplete_month_and_plots_its_like_for_like_rates(client, one_draft):
    client.force_login(one_draft.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    trend = _embedded(page, "trend-data")
    assert trend["incomplete"][0] is True and trend["covered"][0] == "3/4"
    assert [s["rates"][0] for s in trend["series"]] == ["63.3", "60.0", "50.0"]
    assert "-165.0" not in json.dumps(trend)
    assert 'id="trend-legend"' in page and "Nét chấm, điểm rỗng hình thoi" in page
    assert "◇</span> chưa đủ báo cáo" in page  # the table's row, in words


def test_a_complete_month_plots_the_provinces_own_rates(client, one_draft):
    Report.objects.filter(unit=one_draft.office_c).update(status=Report.Status.SUBMITTED,
                                                          submitted_at=timezone.now())
    client.force_login(one_draft.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    trend = _embedded(page, "trend-data")
    assert trend["incomplete"][0] is False and trend["covered"][0] == "4/4"
    # (3 × 9.000 + 1.400 − 26.000) / 4.000
    assert trend["series"][0]["rates"][0] == "60.0"
    assert "Tổng toàn tỉnh đủ báo cáo: 4/4 đơn vị đã gửi" in page


def test_the_ranking_footer_shows_coverage_and_like_for_like(client, one_draft):
    client.force_login(one_draft.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    footer = page.split("<tfoot")[1].split("</tfoot>")[0]
    assert "(3/4 đơn vị đã gửi)" in footer and "Tỷ lệ trên chỉ tiêu của các đơn vị đã gửi" in footer
    assert "BHXH bắt buộc 63,3 %" in footer and COLLAPSE not in footer


def test_a_rolled_up_month_reads_its_stored_coverage(client, one_draft):
    period_rollup(period=one_draft.period1, user=one_draft.compiler)
    client.force_login(one_draft.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "(3/4 đơn vị đã gửi)" in page and "BHXH bắt buộc 63,3 %" in page and COLLAPSE not in page


def test_a_snapshot_made_before_coverage_was_stored_counts_its_offices(client, one_draft):
    snapshot, _ = period_rollup(period=one_draft.period1, user=one_draft.compiler)
    document = {k: v for k, v in snapshot.document.items() if k != "coverage"}
    Snapshot.objects.filter(pk=snapshot.pk).update(document=document)
    client.force_login(one_draft.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    document["province"]["explanation"] = "BHXH bắt buộc đạt -165,0 %, cần 81 %"  # as it was worded
    Snapshot.objects.filter(pk=snapshot.pk).update(document=document)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "(2/3 đơn vị đã gửi)" in page and "Chưa tính được tỷ lệ trên chỉ tiêu" in page
    assert COLLAPSE not in page.split("<tfoot")[1]
    assert "Chưa đủ báo cáo (2/3 đơn vị đã gửi); khi tổng hợp" in page


def test_the_export_writes_the_like_for_like_rates_in_the_province_row(client, one_draft):
    client.force_login(one_draft.director)
    response = client.get(reverse("dashboard:export") + "?ky=1&loai=all")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[5]]
    province = next(row for row in sheet.iter_rows(min_row=6, values_only=True) if row[1] == "QLT")
    cells = dict(zip(headers, province, strict=True))
    assert "chưa đủ báo cáo: 3/4 đơn vị đã gửi" in cells["Tên đơn vị"]
    assert "tỷ lệ trên chỉ tiêu của các đơn vị đã gửi" in cells["Tên đơn vị"]
    assert str(cells["Tỷ lệ phát triển BHXH bắt buộc (%)"]) == "63.3"
    assert str(cells["Tỷ lệ phát triển chung (%)"]) == "57.8" and str(cells["Tỷ lệ thu (%)"]) == "88.5"
    assert "3/4 đơn vị đã gửi" in sheet["A4"].value and "tính bằng 0" in sheet["A4"].value


def test_the_collection_departments_panel_shows_the_like_for_like_rates(client, one_draft):
    client.force_login(one_draft.director)
    page = client.get(reverse("dashboard:unit_panel", args=["QLT"])).content.decode()
    assert "Chưa đủ báo cáo: 3/4 đơn vị đã gửi" in page and "BHXH bắt buộc 63,3 %" in page
    assert COLLAPSE not in page


STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}


@pytest.fixture
def tied(cast, make_report):
    """A and B develop 90 % of every scheme: a tie on the first step, broken by the ratio to
    the same day a year before (B's health insurance a year ago was lower)."""
    make_report(cast.period1, cast.office_a, **STRONG)
    make_report(cast.period1, cast.office_b, **(STRONG | {"health_last_year": 90_000}))
    return cast


def _yoy(health_last_year: int) -> str:
    ratio = (Fraction(9_400, 8_500) + Fraction(3_900, 3_300) + Fraction(99_000, health_last_year)) / 3
    return f"{engine.percent(ratio, 1)}".replace(".", ",") + " %"


def test_the_ranking_shows_the_mean_rate_and_the_tie_break_it_used(client, tied):
    client.force_login(tied.director)
    response = client.get(reverse("scoring:ranking", args=[1]))
    page = response.content.decode()
    first, second = response.context["page"].object_list[:2]
    assert (first["unit"], second["unit"]) == ("BBB", "AAA")
    assert second["explanation"] == (f"Tương đương tỷ lệ phát triển 90,0 % → tỷ lệ so với cùng kỳ "
                                     f"thấp hơn ({_yoy(93_000)} so với {_yoy(90_000)})")
    assert 'title="bình quân tỷ lệ phát triển của các loại hình áp dụng' in page
    assert "<strong>90,0 %</strong>" in page  # the R4 mean, the first step of the key
    assert f"Tỷ lệ so với cùng kỳ {_yoy(90_000)}" in page and f"Tỷ lệ so với cùng kỳ {_yoy(93_000)}" in page


def test_the_export_carries_the_key_the_explanations_quote(client, tied):
    client.force_login(tied.director)
    response = client.get(reverse("dashboard:export") + "?ky=1&loai=local_office")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[5]]
    rows = [dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=6, values_only=True)]
    assert rows[1]["Xét tiếp khi tương đương"] == f"Tỷ lệ so với cùng kỳ {_yoy(93_000)}"
    assert rows[0]["Xét tiếp khi tương đương"] == f"Tỷ lệ so với cùng kỳ {_yoy(90_000)}"
    assert rows[0]["Số thu (đồng)"] == 240_000_000_000
    assert rows[0]["Tỷ lệ phát triển chung (%)"] == 90


def test_the_departments_own_missing_report_is_listed_with_the_offices(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b)
    make_report(cast.period1, cast.office_c)
    client.force_login(cast.director)
    response = client.get(reverse("dashboard:dashboard") + "?ky=1")
    assert response.context["not_submitted_count"] == 1
    assert "Phòng Quản lý thu (phần trực tiếp quản lý) – Chưa có báo cáo" in response.content.decode()
    assert "3/4 đơn vị đã gửi" in response.content.decode()
