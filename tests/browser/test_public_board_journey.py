"""The lobby screen: the board opened through its secret link on a 1920×1080 screen, fitting
without scrolling, refreshing itself, reaching nothing else, and stopping once revoked."""


import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from campaign.models import Report, Target
from dashboard.models import BoardLink
from scoring.services import period_rollup
from tests.conftest import create_report, target_figures
from units.models import Organisation, Unit

pytestmark = pytest.mark.browser

TV = {"width": 1920, "height": 1080}
AT_PLAN = {"mandatory_actual": 9_500, "voluntary_actual": 4_000, "health_actual": 100_000,
           "revenue": 260_000_000_000}
# A draft's figures no rolled-up month has (82,1 % / 77,7 % / 75,3 %, mean 78,4 %).
DRAFT = {"mandatory_actual": 9_321, "voluntary_actual": 3_777, "health_actual": 97_531}


@pytest.fixture
def province(cast, make_report):
    """24 local offices, as the demo office has. October rolled up: 15 offices meet every
    criterion (ranked, each a little apart), 5 fall short, 4 did not report. November open:
    9 submitted, 2 drafts on distinctive figures."""
    Organisation.objects.create(name="Bảo hiểm xã hội tỉnh Mẫu", short_name="BHXH tỉnh Mẫu",
                                parent="Bảo hiểm xã hội Việt Nam", place="Mẫu", document_symbol="BHXH",
                                head_title="Giám đốc")
    offices = [cast.office_a, cast.office_b, cast.office_c]
    for n in range(4, 25):
        unit = Unit.objects.create(code=f"K{n:02d}", name=f"BHXH cơ sở Liên huyện số {n:02d}",
                                   kind=Unit.Kind.LOCAL_OFFICE, order=n)
        Target.objects.create(campaign=cast.campaign, unit=unit, **target_figures())
        offices.append(unit)
    october, november = cast.periods[0], cast.periods[1]
    for i, office in enumerate(offices[:15]):
        make_report(october, office, **(AT_PLAN | {"health_actual": 99_000 + 50 * i}))
    for office in offices[15:20]:
        make_report(october, office)
    period_rollup(period=october, user=cast.compiler)
    for office in offices[:9]:
        make_report(november, office, **AT_PLAN)
    for office in offices[9:11]:
        make_report(november, office, status=Report.Status.DRAFT, **DRAFT)
    cast.offices = offices
    return cast


FIT_JS = """
() => ({
  height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
  innerHeight: window.innerHeight, innerWidth: window.innerWidth,
  rowFont: parseFloat(getComputedStyle(document.querySelector(".board-table tbody td")).fontSize),
})
"""


def test_the_lobby_screen_shows_the_board_through_its_link_and_nothing_else(
        page, browser, live_server, province, login, shot, console_errors, settings):
    settings.BOARD_REFRESH_SECONDS = 1

    # The administrator makes the screen's link; its address is shown once.
    login(page, "admin")
    page.goto(f"{live_server.url}/bang-cong-khai/duong-dan/")
    page.get_by_label("Tên màn hình").fill("Màn hình sảnh tầng 1")
    page.get_by_role("button", name="Tạo đường dẫn").click()
    address = page.get_by_role("textbox", name="Đường dẫn", exact=True).input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/bang-cong-khai/man-hinh/[A-Za-z0-9_-]{{43}}/", address)
    shot(page, "links-new")
    link = BoardLink.objects.get()

    # The screen: a browser of its own, nobody logged in, a 1920×1080 TV.
    context = browser.new_context(viewport=TV, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    screen = context.new_page()
    screen_errors = []
    screen.on("console", lambda msg: msg.type == "error" and screen_errors.append(msg.text))
    screen.on("pageerror", lambda exc: screen_errors.append(str(exc)))
    screen.goto(address)
    expect(screen.get_by_role("heading", name="Kết quả Tháng 10/2025")).to_be_visible()
    expect(screen.get_by_text("Bảo hiểm xã hội tỉnh Mẫu")).to_be_visible()  # the office, from data
    rows = screen.locator(".board-table tbody tr")
    expect(rows).to_have_count(12)  # 15 ranked: the screen holds 12, the rest are counted
    expect(rows.nth(0)).to_contain_text("Giải Nhất")
    expect(screen.get_by_text("… và 3 đơn vị nữa đạt đủ ba tiêu chí.")).to_be_visible()
    expect(screen.get_by_text("5 đơn vị chưa đạt đủ ba tiêu chí · 4 đơn vị không gửi báo cáo")).to_be_visible()
    expect(screen.get_by_role("heading", name="Giải thưởng Tháng 10/2025")).to_be_visible()
    expect(screen.locator(".board-prizes li")).to_have_count(5)
    expect(screen.locator(".board-count")).to_have_text("9/24 BHXH cơ sở đã gửi báo cáo")
    content = screen.content()
    assert "78,4 %" not in content and "97.531" not in content  # the drafts' figures

    # One 1920×1080 screen, no scroll bar either way, type readable across a lobby.
    fit = screen.evaluate(FIT_JS)
    assert fit["innerWidth"] == 1920 and fit["innerHeight"] == 1080, fit
    assert fit["height"] <= 1080 and fit["width"] <= 1920, fit
    assert fit["rowFont"] >= 26, fit
    picture = shot(screen, "board-1920x1080")
    assert Image.open(picture).size == (1920, 1080)

    # The link grants no session: the screen's browser holds no cookie.
    assert context.cookies() == []
    link.refresh_from_db()
    assert link.last_used_at is not None

    # It refreshes itself: a report submitted now shows in the count without anyone touching it.
    create_report(province.periods[1], province.offices[20], **AT_PLAN)
    expect(screen.locator(".board-count")).to_have_text("10/24 BHXH cơ sở đã gửi báo cáo", timeout=10_000)
    assert screen.url == address

    # Every other address sends the screen's browser to the login page (or is not found).
    token = address.rstrip("/").rsplit("/", 1)[1]
    other = context.new_page()
    for path in ("/", "/bang-dieu-khien/", "/phong-trao/TEST2025/xep-hang/",
                 "/bang-cong-khai/duong-dan/", f"/bang-dieu-khien/?token={token}"):
        other.goto(live_server.url + path)
        assert "/dang-nhap/" in other.url, (path, other.url)
    response = other.goto(f"{live_server.url}/phong-trao/TEST2025/bang-cong-khai/man-hinh/{token}/")
    assert response.status == 404
    other.close()

    # The administrator revokes it: the screen says so at its next refresh, and stops asking.
    page.goto(f"{live_server.url}/bang-cong-khai/duong-dan/")
    page.get_by_role("button", name="Thu hồi Màn hình sảnh tầng 1").click()
    expect(page.get_by_role("heading", name="Xác nhận: thu hồi đường dẫn «Màn hình sảnh tầng 1»")).to_be_visible()
    expect(screen.locator(".board-table")).to_have_count(1)  # asked, not yet done
    page.get_by_role("button", name="Thu hồi đường dẫn").click()
    expect(page.get_by_text("Đã thu hồi đường dẫn «Màn hình sảnh tầng 1»")).to_be_visible()
    shot(page, "links-revoked")
    expect(screen.get_by_role("heading", name="Đường dẫn này đã bị thu hồi")).to_be_visible(timeout=10_000)
    expect(screen.locator(".board-table")).to_have_count(0)
    shot(screen, "board-revoked")
    context.close()
    # The refused refresh is logged by Chromium as a failed resource (403); nothing else.
    assert [e for e in screen_errors if "403" not in e] == []
    assert console_errors == []
