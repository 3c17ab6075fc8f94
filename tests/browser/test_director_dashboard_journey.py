"""Journey 3: the director opens the dashboard and sees the ranking and the charts drawn."""

import re

import pytest
from playwright.sync_api import expect

from scoring.services import period_rollup

pytestmark = pytest.mark.browser

# Every chart on the page: which Chart.js object is bound to it, what data it holds, and how
# many of its pixels were painted (a chart object over a blank canvas is not "drawn").
CHARTS_JS = """
() => Array.from(document.querySelectorAll("canvas")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const context = canvas.getContext("2d");
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted += 1; } }
  return {
    name: canvas.id || canvas.dataset.scheme,
    bound: chart !== undefined,
    width: canvas.clientWidth,
    height: canvas.clientHeight,
    painted: painted,
    labels: chart ? chart.data.labels : [],
    datasets: chart ? chart.data.datasets.map((d) => ({label: d.label, data: d.data})) : [],
  };
})
"""

STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}
# The collection department's own report (people and employers it serves directly): the
# province totals are the sums of every report (R12), here about 90 % on each scheme.
QLT_OWN = {"mandatory_actual": 1_800, "voluntary_actual": 800, "health_actual": 13_500,
           "mandatory_last_year": 1_700, "voluntary_last_year": 700, "health_last_year": 13_000,
           "revenue": 40_000_000_000, "nonpublic_revenue": 15_000_000_000,
           "due": 40_000_000_000, "late": 1_000_000_000, "late_interest": 500_000_000}


@pytest.fixture
def campaign_under_way(cast, make_report):
    """October rolled up (C first, B second, A short of every threshold); November open, with
    C not yet reported."""
    october, november = cast.periods[0], cast.periods[1]
    make_report(october, cast.office_a)
    make_report(october, cast.office_b, **STRONG)
    make_report(october, cast.office_c, **(STRONG | {"health_actual": 99_500}))
    make_report(october, cast.qlt, **QLT_OWN)
    period_rollup(period=october, user=cast.compiler)
    make_report(november, cast.office_a, **STRONG)
    make_report(november, cast.office_b, health_actual=99_800, mandatory_actual=9_450,
                voluntary_actual=3_950, revenue=245_000_000_000)
    make_report(november, cast.qlt, **(QLT_OWN | {"health_actual": 14_000}))
    return cast

# BHXH cơ sở C in October: (9.400 - 8.500) / (9.500 - 8.500) = 90 %, and so on.
EXPECTED_C = {"BHXH bắt buộc": "90,0 %", "BHXH tự nguyện": "90,0 %", "BHYT": "95,0 %",
              "Tỷ lệ thu": "92,3 %", "Ngoài công lập": "37,5 %", "Chậm đóng": "2,5 %"}


# The health chart's axis labels as drawn, and what its axis and tooltip callbacks make of
# rates with decimals and thousands (this page's rates have neither).
LABELS_JS = """
() => {
  const chart = Chart.getChart(document.querySelector('canvas[data-scheme="health"]'));
  const tick = chart.options.scales.y.ticks.callback;
  const tooltip = chart.options.plugins.tooltip.callbacks.label;
  const title = chart.options.plugins.tooltip.callbacks.title;
  return {
    drawn: chart.scales.y.ticks.map((t) => t.label),
    ticks: [82.5, 1234.5, 100].map((v) => tick(v)),
    tooltip: tooltip({dataset: {label: "Tỷ lệ phát triển"}, raw: 1234.5}),
    title: title([{dataIndex: 0}]),
  };
}
"""


def overflow(page) -> int:
    """How many pixels the page is wider than the window (a sideways scroll bar)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def charts_on(page) -> dict[str, dict]:
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    return {c["name"]: c for c in page.evaluate(CHARTS_JS)}


def test_director_sees_ranking_and_charts(page, live_server, campaign_under_way, login, shot,
                                          console_errors):
    login(page, "director", shot)
    shot(page, "home")

    page.get_by_role("link", name="Bảng điều khiển", exact=True).click()
    page.wait_for_url(re.compile(r"/bang-dieu-khien/"))
    expect(page.get_by_role("heading", name="Bảng điều khiển thi đua")).to_be_visible()
    # The open period by default, provisional, with C's report missing.
    expect(page.locator("#ky")).to_have_value("2")
    expect(page.get_by_text("Tháng 11/2025: số liệu tạm tính")).to_be_visible()
    expect(page.get_by_text("BHXH cơ sở C – Chưa có báo cáo")).to_be_visible()
    shot(page, "dashboard-november-provisional")

    # The filter: October, rolled up.
    page.locator("#ky").select_option("1")
    page.get_by_role("button", name="Xem", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]ky=1\b"))
    expect(page.get_by_text(re.compile(r"Tháng 10/2025: đã tổng hợp lúc \d{2}:\d{2} \d{2}/\d{2}/\d{4}"))).to_be_visible()

    # The ranking: who leads, who misses.
    rows = page.locator("#standings tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("1")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("BHXH cơ sở C")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("2")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("BHXH cơ sở B")
    expect(rows.nth(2).locator("td").nth(0)).to_have_text("–")
    expect(rows.nth(2)).to_contain_text("BHXH bắt buộc đạt 50,0 %, cần 81 %")
    # Each figure under its own heading: the leader's rates, scheme by scheme.
    headers = page.locator("#standings thead th").all_inner_texts()
    leader = rows.nth(0).locator("td").all_inner_texts()
    assert len(leader) == len(headers), f"{len(leader)} cells under {len(headers)} headings"
    assert {h: c for h, c in zip(headers, leader, strict=True) if h in EXPECTED_C} == EXPECTED_C
    expect(page.get_by_text("Số liệu toàn tỉnh đạt cả ba tiêu chí")).to_be_visible()
    expect(page.get_by_text("Toàn tỉnh so với ngưỡng 81 %")).to_be_visible()
    expect(page.get_by_text("Tất cả đã gửi.")).to_be_visible()
    expect(page.locator("ol").filter(has_text="Giải Nhất")).to_contain_text("5.000.000 đồng")

    charts = charts_on(page)
    assert set(charts) == {"mandatory", "voluntary", "health", "trend-chart"}, charts.keys()
    for name, chart in charts.items():
        assert chart["bound"], f"no Chart.js chart on canvas {name}"
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["painted"] > 500, f"canvas {name} looks blank: {chart['painted']} pixels"
        assert chart["datasets"] and any(
            v is not None for v in chart["datasets"][0]["data"]
        ), f"chart {name} has no data points"
    health = charts["health"]
    assert health["labels"] == ["CCC", "BBB", "AAA"]
    bars, threshold = health["datasets"]
    assert bars["data"] == [95, 90, 50] and threshold["data"] == [81, 81, 81]
    trend = charts["trend-chart"]
    assert trend["labels"] == ["Tháng 10/2025", "Tháng 11/2025", "Tháng 12/2025"]
    assert trend["datasets"][-1]["data"] == [81, 91, 100]  # the thresholds
    assert [v is not None for v in trend["datasets"][0]["data"]] == [True, True, False]
    # Axis and tooltips read as Vietnamese numbers: "82,5 %", "1.234,5 %".
    labels = page.evaluate(LABELS_JS)
    assert labels["ticks"] == ["82,5 %", "1.234,5 %", "100 %"], labels
    assert labels["tooltip"] == "Tỷ lệ phát triển: 1.234,5 %", labels
    assert labels["title"] == "BHXH cơ sở C", labels  # the bar's unit by name, not its code
    assert labels["drawn"] and all(re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)? %", t)
                                   for t in labels["drawn"]), labels
    # Each chart has its figures in a table beside it.
    page.locator("details summary").first.click()
    expect(page.locator("details table").first).to_be_visible()
    shot(page, "dashboard-october")
    assert overflow(page) <= 0, f"the dashboard is {overflow(page)} px wider than the window"

    # On a phone the charts are still drawn, within the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    phone = charts_on(page)
    assert all(c["bound"] and 0 < c["width"] <= 390 and c["painted"] > 0 for c in phone.values()), phone
    shot(page, "dashboard-october-phone")
    assert overflow(page) <= 0, f"on a phone the dashboard is {overflow(page)} px too wide"
    page.set_viewport_size({"width": 1366, "height": 900})

    # A unit's panel, from its name in the ranking.
    page.goto(f"{live_server.url}/bang-dieu-khien/?ky=1")
    page.locator("#standings").get_by_role("link", name="BHXH cơ sở A").click()
    page.wait_for_url(re.compile(r"/don-vi/AAA/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("BHXH cơ sở A")
    shot(page, "unit-panel-aaa")

    assert console_errors == []
