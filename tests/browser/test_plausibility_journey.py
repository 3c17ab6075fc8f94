"""A doubtful figure, end to end: staff type a November revenue below October's, are warned (not
refused) on the page and before submitting; the compiler finds it on the period's reports page
and acknowledges it with a reason."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import Report, WarningAcknowledgement

from ..conftest import create_report

pytestmark = pytest.mark.browser

NOVEMBER = {
    "mandatory_actual": "9.400", "mandatory_last_year": "8.500",
    "voluntary_actual": "3.900", "voluntary_last_year": "3.300",
    "health_actual": "99.000", "health_last_year": "93.000",
    "revenue": "200.000.000.000", "nonpublic_revenue": "90.000.000.000",  # October: 230 billion
    "due": "240.000.000.000", "late": "6.000.000.000", "late_interest": "3.000.000.000",
}


def test_a_falling_revenue_is_warned_submitted_and_acknowledged(page, live_server, cast, login,
                                                                logout, shot):
    create_report(cast.period1, cast.office_a, revenue=230_000_000_000)
    login(page, "staff_a")
    page.goto(live_server.url + reverse("campaign:report_edit", args=[2, "AAA"]))
    for field, value in NOVEMBER.items():
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu bản nháp.")).to_be_visible()
    warnings = page.locator("[data-plausibility-warnings]")
    expect(warnings).to_contain_text("Số liệu cần kiểm tra lại (1 cảnh báo)")
    expect(warnings).to_contain_text(
        "Số thu lũy kế 200.000.000.000 đồng thấp hơn Tháng 10/2025 (230.000.000.000 đồng)")
    # The same words under the box itself, which is outlined.
    revenue_box = page.locator("#id_revenue")
    expect(revenue_box).to_have_class(re.compile(r"\bborder-warning\b"))
    expect(page.locator("#div_id_revenue")).to_contain_text("Cảnh báo: Số thu lũy kế 200.000.000.000 đồng")
    shot(page, "draft-warned")

    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xác nhận: gửi báo cáo")
    expect(page.get_by_text(re.compile(r"Số liệu có 1 cảnh báo"))).to_be_visible()
    shot(page, "confirm-submit-with-warning")
    page.get_by_role("button", name="Xác nhận gửi báo cáo").click()
    expect(page.get_by_role("alert").filter(has_text="Đã gửi báo cáo.")).to_be_visible()
    assert Report.objects.get(period=cast.periods[1], unit=cast.office_a).is_submitted
    logout(page)

    login(page, "compiler")
    page.goto(live_server.url + reverse("campaign:period_reports", args=[2]))
    expect(page.get_by_role("link", name="1 chưa xử lý")).to_be_visible()
    shot(page, "compiler-list")
    page.get_by_label("Lý do số liệu đúng").fill("Đơn vị điều chỉnh giảm số thu tháng 10, đã kiểm tra")
    page.get_by_role("button", name="Xác nhận đúng").click()
    expect(page.get_by_role("alert").filter(has_text="Đã xác nhận số liệu của BHXH cơ sở A.")).to_be_visible()
    expect(page.locator("#canh-bao-AAA")).to_contain_text("Đã xác nhận")
    expect(page.get_by_role("link", name="1 chưa xử lý")).to_have_count(0)
    shot(page, "compiler-acknowledged")
    ack = WarningAcknowledgement.objects.get()
    assert ack.by == cast.compiler and ack.evidence == "200000000000,230000000000"
