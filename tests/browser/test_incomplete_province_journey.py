"""The director opens the dashboard while reports are missing: the province's totals are
never drawn or printed as its rate; the incomplete month is marked in the trend (dotted, hollow
diamonds, a legend in words), on screen, on a phone and on paper."""

import pytest
from playwright.sync_api import expect

from campaign.models import Report
from scoring.services import period_rollup

pytestmark = pytest.mark.browser

STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}
QLT_OWN = {"mandatory_actual": 1_400, "voluntary_actual": 500, "health_actual": 10_000,
           "revenue": 18_000_000_000, "due": 18_000_000_000, "late": 0, "late_interest": 0,
           "nonpublic_revenue": 0}

TREND_JS = """
() => {
  const chart = Chart.getChart(document.getElementById("trend-chart"));
  const first = chart.data.datasets[0];
  return {
    labels: chart.data.labels,
    ticks: chart.scales.x.ticks.map((t) => t.label),
    legend: chart.legend.legendItems.map((item) => item.text),
    styles: first.pointStyle,
    fills: first.pointBackgroundColor,
    data: first.data,
  };
}
"""


@pytest.fixture
def reports_missing(cast, make_report):
    """October rolled up with C's report missing and B's a draft; November complete."""
    october, november = cast.periods[0], cast.periods[1]
    make_report(october, cast.office_a, **STRONG)
    make_report(october, cast.office_b, status=Report.Status.DRAFT, **STRONG)
    make_report(october, cast.qlt, **QLT_OWN)
    period_rollup(period=october, user=cast.compiler)
    for office in (cast.office_a, cast.office_b, cast.office_c):
        make_report(november, office, **STRONG)
    make_report(november, cast.qlt, **QLT_OWN)
    return cast


def test_director_sees_an_incomplete_month_marked_and_never_its_collapse(
        page, live_server, reports_missing, login, shot, console_errors):
    login(page, "director", shot)
    page.goto(f"{live_server.url}/bang-dieu-khien/?ky=1")
    card = page.locator("#province-incomplete")
    expect(page.get_by_text("Chưa đủ báo cáo", exact=False).first).to_be_visible()
    expect(page.get_by_text("2/4 đơn vị đã gửi").first).to_be_visible()
    # A (90 %) and the department's part (90 %) over their own targets: 90,0 % like for like,
    # where the sums over the province target read (10.800 − 26.000) / 4.000 = −380,0 %.
    expect(card.locator("thead")).to_contain_text("Tỷ lệ trên chỉ tiêu của các đơn vị đã gửi")
    expect(card.locator("tbody tr").first).to_contain_text("90,0 %")
    stored = reports_missing.periods[0].snapshots.get().document["province"]["schemes"][0]["rate"]
    assert stored == "-380.0" and "380,0 %" not in page.locator("main").inner_text()

    page.wait_for_function("() => typeof Chart !== 'undefined'")
    trend = page.evaluate(TREND_JS)
    assert trend["labels"] == ["Tháng 10/2025", "Tháng 11/2025", "Tháng 12/2025"]
    assert trend["ticks"][0] == "Tháng 10/2025 ◇" and trend["ticks"][1] == "Tháng 11/2025"
    assert trend["styles"][:2] == ["rectRot", "circle"] and trend["fills"][0] == "#fff"
    assert trend["data"][0] == 90 and trend["data"][1] == 90
    assert any("Chưa đủ báo cáo: tỷ lệ trên chỉ tiêu của các đơn vị đã gửi" in t for t in trend["legend"])
    legend = page.locator("#trend-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("tháng chưa đủ báo cáo")
    # October (2/4) and December (nothing sent yet) are short of reports; November is whole.
    incomplete = page.locator("#trend-table tr.trend-incomplete")
    expect(incomplete).to_have_count(2)
    expect(incomplete.first).to_contain_text("Tháng 10/2025")
    expect(incomplete.last).to_contain_text("Tháng 12/2025")
    page.locator("#trend-chart").scroll_into_view_if_needed()
    shot(page, "dashboard-incomplete-october")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    expect(page.locator("#trend-legend")).to_be_visible()
    shot(page, "dashboard-incomplete-october-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.emulate_media(media="print")
    page.reload()
    expect(page.locator("#trend-legend")).to_be_visible()
    expect(page.locator("#trend-table tr.trend-incomplete").first).to_contain_text("chưa đủ báo cáo")
    shot(page, "dashboard-incomplete-october-print")
    page.emulate_media(media="screen")

    # The ranking's footer says the same.
    page.goto(f"{live_server.url}/xep-hang/ky/1/")
    expect(page.locator("tfoot")).to_contain_text("2/4 đơn vị đã gửi")
    expect(page.locator("tfoot")).to_contain_text("Tỷ lệ trên chỉ tiêu của các đơn vị đã gửi")
    shot(page, "ranking-incomplete-october")
    assert console_errors == []
