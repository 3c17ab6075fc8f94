"""Journey 5: a staff member who uses only the keyboard logs in, reaches the report form through
the skip link, fills it, meets the refused save with the focus on the wrong field, corrects it
and submits the report.

No mouse: every step is a key press, and each step checks where the focus is, as a person
who cannot see the pointer would rely on.
"""

import re

import pytest
from playwright.sync_api import expect

from campaign.models import Report

from .conftest import PASSWORD
from .test_staff_report_journey import BAD, GOOD

pytestmark = pytest.mark.browser

# Where the focus is: enough to tell a field, a link, a button and the page's body apart.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim(),
    invalid: el.getAttribute("aria-invalid"),
    described: el.getAttribute("aria-describedby"),
  };
}
"""
# The skip link's box while it has the focus, and the focus ring of a menu link.
BOX_JS = """
() => {
  const r = document.activeElement.getBoundingClientRect();
  return {width: r.width, height: r.height, top: r.top, left: r.left};
}
"""
RING_JS = """
() => {
  const style = getComputedStyle(document.activeElement);
  return {style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor};
}
"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED_JS)


def tab_to(page, matches, limit: int = 40) -> int:
    """Press Tab until `matches(focused(page))`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if matches(focused(page)):
            return presses
    raise AssertionError(f"not reached with {limit} Tab presses; focus on {focused(page)}")


def skip_to_content(page) -> None:
    """The first Tab stop of every page is the skip link; Enter moves the focus past the menu."""
    page.keyboard.press("Tab")
    link = focused(page)
    assert link["tag"] == "a" and link["text"] == "Bỏ qua menu, đến nội dung chính", link
    box = page.evaluate(BOX_JS)
    assert box["width"] > 50 and box["height"] > 10 and box["top"] >= 0, (
        f"the skip link is not visible while focused: {box}")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "noi-dung"


def type_into_focused(page, value: str) -> None:
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(value)


def fill_by_keyboard(page, values: dict) -> None:
    """Type each figure and Tab to the next, checking the Tab order is the form's order."""
    fields = list(values)
    for index, field in enumerate(fields):
        assert focused(page)["id"] == f"id_{field}", (field, focused(page))
        type_into_focused(page, values[field])
        if index < len(fields) - 1:
            page.keyboard.press("Tab")


def test_a_keyboard_user_reaches_fills_corrects_and_submits_the_report(
    page, live_server, cast, shot, console_errors,
):
    # --- log in: the page opens with the focus on the user name; Tab, then Enter ------------
    page.goto(f"{live_server.url}/dang-nhap/")
    shot(page, "login")
    assert focused(page)["id"] == "id_username", focused(page)
    page.keyboard.type("staff_a")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password", focused(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    shot(page, "home")

    # --- from the home page to the form: the skip link, then the page's own links ------------
    skip_to_content(page)
    presses = tab_to(page, lambda el: el["text"].startswith("Nhập và gửi báo cáo Tháng 10/2025"))
    assert presses <= 3, f"{presses} Tab stops from the content to the report to enter"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ky/1/don-vi/AAA/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo kết quả: BHXH cơ sở A – Tháng 10/2025"
    )
    shot(page, "report-form")

    # On the form: the skip link and one Tab reach the first figure.
    skip_to_content(page)
    page.keyboard.press("Tab")
    fill_by_keyboard(page, BAD)
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Gửi báo cáo", limit=3)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # --- refused: the focus is on the first wrong field, which says what is wrong ----------
    expect(page.locator(".invalid-feedback")).to_have_count(2)
    wrong = focused(page)
    assert wrong["id"] == "id_voluntary_actual", f"after a refused save the focus is on {wrong}"
    assert wrong["invalid"] == "true", wrong
    message_ids = (wrong["described"] or "").split()
    messages = [page.locator(f"#{message_id}").inner_text() for message_id in message_ids]
    assert "Phải là số nguyên, ví dụ 5.000.000." in messages, messages
    shot(page, "refused-focus-on-wrong-field")
    assert not Report.objects.exists(), "a refused form must write nothing"

    # --- corrected by keyboard, then submitted with the submit button -------------------------
    type_into_focused(page, GOOD["voluntary_actual"])
    tab_to(page, lambda el: el["id"] == "id_nonpublic_revenue", limit=6)
    assert focused(page)["invalid"] == "true"
    type_into_focused(page, GOOD["nonpublic_revenue"])
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Gửi báo cáo", limit=6)
    page.keyboard.press("Enter")
    # The confirmation page: from the content, the first Tab stop is the confirming button.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xác nhận: gửi báo cáo")
    skip_to_content(page)
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Xác nhận gửi báo cáo", limit=2)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Đã gửi báo cáo.")).to_be_visible()
    expect(page.get_by_text("Đã gửi", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    shot(page, "submitted")

    # On the menu, the focus ring is amber, which stands out on the menu's blue.
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # the first menu link
    assert focused(page)["text"] == "Trang chủ", focused(page)
    ring = page.evaluate(RING_JS)
    assert ring["style"] == "solid" and ring["width"] == "3px", ring
    assert ring["color"] == "rgb(255, 218, 106)", ring
    shot(page, "menu-focus-ring")

    report = Report.objects.get(period=cast.period1, unit=cast.office_a)
    assert report.status == Report.Status.SUBMITTED and report.submitted_by == cast.staff_a
    assert {f: getattr(report, f) for f in GOOD} == {
        f: int(v.replace(".", "")) for f, v in GOOD.items()
    }
    assert console_errors == []
