"""Journey 6: each role opens every page of its menu, so axe-core checks each page as each role
sees it (a role sees its own links, buttons and forms on the same address).

A campaign under way: October rolled up, with its award dossier drafted; November open, with
one office's report missing. Every page is audited by `shot` (tests/browser/conftest.py).
"""

import re

import pytest
from playwright.sync_api import expect

from scoring.services import period_rollup

pytestmark = pytest.mark.browser

STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}
QLT_OWN = {"mandatory_actual": 1_800, "voluntary_actual": 800, "health_actual": 13_500,
           "mandatory_last_year": 1_700, "voluntary_last_year": 700, "health_last_year": 13_000,
           "revenue": 40_000_000_000, "nonpublic_revenue": 15_000_000_000,
           "due": 40_000_000_000, "late": 1_000_000_000, "late_interest": 500_000_000}

# One user of the cast per role (units.models.Role), and the menu entries that role must see.
ROLES = {
    "staff_a": {"Trang chủ", "Bảng điều khiển", "Đơn vị của tôi", "Xếp hạng", "Thể lệ",
                "Khen thưởng"},
    "compiler": {"Báo cáo các đơn vị", "Chỉ tiêu", "Excel", "Khen thưởng", "Kinh phí"},
    "appraiser": {"Khen thưởng", "Kinh phí"},
    "finance": {"Khen thưởng", "Kinh phí"},
    "director": {"Khen thưởng", "Kinh phí", "Bảng điều khiển"},
}


@pytest.fixture
def campaign_under_way(cast, make_report):
    october, november = cast.periods[0], cast.periods[1]
    make_report(october, cast.office_a)
    make_report(october, cast.office_b, **STRONG)
    make_report(october, cast.office_c, **(STRONG | {"health_actual": 99_500}))
    make_report(october, cast.qlt, **QLT_OWN)
    period_rollup(period=october, user=cast.compiler)
    make_report(november, cast.office_a, **STRONG)
    make_report(november, cast.qlt, **QLT_OWN)
    return cast


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_of_each_roles_menu_passes_axe(page, live_server, campaign_under_way, login,
                                                  shot, username, console_errors):
    login(page, username, shot)
    links = page.locator("nav a.nav-link")
    menu = {text.strip(): href for text, href in zip(
        links.all_inner_texts(), [links.nth(i).get_attribute("href") for i in range(links.count())],
        strict=True)}
    assert ROLES[username] <= set(menu), f"{username} sees {sorted(menu)}"
    menu.pop("Quản trị", None)  # Django's own admin pages, for the superuser only

    for text, href in menu.items():
        page.goto(live_server.url + href)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shot(page, text)
        # The software's inner workings are not the user's words.
        shown = page.inner_text("body")
        assert not re.search(r"celery|snapshot|worker", shown, re.IGNORECASE), (text, href)

    # The dossier drafted from October's roll-up, for the roles that handle dossiers.
    if "Kinh phí" in menu:
        page.goto(live_server.url + menu["Khen thưởng"])
        page.get_by_role("link", name="Mở").first.click()
        expect(page.locator("#state")).to_be_visible()
        shot(page, "dossier")
    assert console_errors == []
