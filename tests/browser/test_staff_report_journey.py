"""Journey 1: a staff member enters the period's report, is told what is wrong, fixes it, submits."""

import re

import pytest
from playwright.sync_api import expect

from campaign.models import Report

pytestmark = pytest.mark.browser

# What a staff member types: Vietnamese grouping (dots), as on their paper sheet.
GOOD = {
    "mandatory_actual": "9.400", "mandatory_last_year": "8.500",
    "voluntary_actual": "3.900", "voluntary_last_year": "3.300",
    "health_actual": "99.000", "health_last_year": "93.000",
    "revenue": "240.000.000.000", "nonpublic_revenue": "90.000.000.000",
    "due": "240.000.000.000", "late": "6.000.000.000", "late_interest": "3.000.000.000",
}
BAD = GOOD | {
    "voluntary_actual": "3.9OO",                 # letters O typed for zeros
    "nonpublic_revenue": "250.000.000.000",      # more than the whole revenue
}


def fill(page, values: dict) -> None:
    for field, value in values.items():
        page.locator(f"#id_{field}").fill(value)


def field_error(page, field: str):
    """The message crispy-forms shows under a field (Bootstrap's invalid-feedback)."""
    return page.locator(f"#id_{field}").locator(
        "xpath=ancestor::div[contains(@class,'mb-3')][1]"
    ).locator(".invalid-feedback")


def test_staff_enters_fixes_and_submits_the_report(page, live_server, cast, login, shot):
    login(page, "staff_a", shot)
    task = page.get_by_role("link", name="Nhập và gửi báo cáo Tháng 10/2025 của BHXH cơ sở A")
    expect(task).to_be_visible()
    shot(page, "home")

    task.click()
    page.wait_for_url(re.compile(r"/ky/1/don-vi/AAA/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo kết quả: BHXH cơ sở A – Tháng 10/2025"
    )
    expect(page.get_by_text("Chưa có báo cáo", exact=True)).to_be_visible()
    shot(page, "empty-report")

    # Bad values: a letter in a number, and non-public revenue above the revenue.
    fill(page, BAD)
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state()
    expect(field_error(page, "voluntary_actual")).to_have_text("Phải là số nguyên, ví dụ 5.000.000.")
    expect(field_error(page, "nonpublic_revenue")).to_have_text(
        "Số thu khối DN, HTX, ngoài công lập không được lớn hơn số thu lũy kế."
    )
    expect(page.locator("#id_voluntary_actual")).to_have_class(re.compile(r"\bis-invalid\b"))
    # What was typed is kept, so only the wrong cells need retyping.
    expect(page.locator("#id_revenue")).to_have_value("240.000.000.000")
    expect(page.locator("#id_voluntary_actual")).to_have_value("3.9OO")
    expect(page.locator(".invalid-feedback")).to_have_count(2)
    shot(page, "errors-shown")
    assert not Report.objects.exists(), "a refused form must write nothing"

    # Fixed, then saved as a draft: the preview scores the figures on screen.
    fill(page, {"voluntary_actual": GOOD["voluntary_actual"],
                "nonpublic_revenue": GOOD["nonpublic_revenue"]})
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu bản nháp.")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.get_by_text("Bản nháp", exact=True)).to_be_visible()
    expect(page.locator("#id_voluntary_actual")).to_have_value("3.900")
    expect(page.get_by_text("Các chỉ số và tiêu chí (tạm tính)")).to_be_visible()
    shot(page, "draft-saved")
    report = Report.objects.get(period=cast.period1, unit=cast.office_a)
    assert report.status == Report.Status.DRAFT
    assert report.voluntary_actual == 3_900 and report.nonpublic_revenue == 90_000_000_000

    page.get_by_role("button", name="Gửi báo cáo").click()
    # Submitting cannot be taken back: a page says so and asks again.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xác nhận: gửi báo cáo Tháng 10/2025 của BHXH cơ sở A")
    shot(page, "confirm-submit")
    page.get_by_role("button", name="Xác nhận gửi báo cáo").click()
    expect(page.get_by_role("alert").filter(has_text="Đã gửi báo cáo.")).to_be_visible()
    expect(page.get_by_text("Đã gửi", exact=True)).to_be_visible()
    # Read-only now: every figure disabled, no button to save or submit.
    inputs = page.locator("form input.text-end")
    expect(inputs).to_have_count(11)
    for index in range(11):
        expect(inputs.nth(index)).to_be_disabled()
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    expect(page.locator("#id_revenue")).to_have_value("240.000.000.000")
    shot(page, "submitted-read-only")

    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_by == cast.staff_a and report.submitted_at is not None
    assert {f: getattr(report, f) for f in GOOD} == {
        f: int(v.replace(".", "")) for f, v in GOOD.items()
    }

    page.get_by_role("link", name="Trang chủ").click()
    expect(page.get_by_text(re.compile(r"Đã gửi báo cáo Tháng \d+/\d{4} lúc \d{2}:\d{2} \d{2}/\d{2}/\d{4}"))).to_be_visible()
    shot(page, "home-after-submit")
