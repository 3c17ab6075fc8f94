"""The past stays browsable: a second campaign is loaded from a definition file and becomes the
one served, while the first, finished, is reached through the menu's switcher and the archive,
and its ranking, dossier and PDF open as before, under addresses that name it. Every page is
audited by `shot` (tests/browser/conftest.py)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardLine, Dossier, Payment
from campaign.models import Period
from scoring.services import period_rollup

pytestmark = pytest.mark.browser

STRONG = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
          "revenue": 240_000_000_000}

DEFINITION = """
code = "TIEP2026"
name = "Phong trào thi đua tiếp theo"
year = {year}
launch_date = {launch}
end_date = {end}
tie_decimals = 1
budget = 30000000
individual_amount = 500000
legal_basis = ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]

[[prizes]]
key = "first"
name = "Giải Nhất"
count = 1
amount = 5000000
individuals = 2

[[periods]]
number = 1
name = "Kỳ một"
first_day = {launch}
last_day = {end}
participant_threshold = "70"
revenue_threshold = "70"
rollup_due = {due}T07:00:00+07:00
"""


@pytest.fixture
def two_campaigns(cast, make_report, tmp_path):
    """TEST2025 finished (October rolled up and paid, every month locked); a running campaign
    loaded from its definition file, so it is the one the short URLs serve."""
    for unit in (cast.office_a, cast.office_b, cast.office_c):
        make_report(cast.period1, unit, **STRONG)
    period_rollup(period=cast.period1, user=cast.compiler)
    # Paid: the fields the workflow would have recorded on the way, and a payment of every line.
    Dossier.objects.filter(period=cast.period1).update(
        state=Dossier.State.PAID, council_date=dt.date(2025, 11, 4), council_minutes="05/BB-HĐTĐKT",
        decision_number="123/QĐ-BHXH", decision_date=dt.date(2025, 11, 5))
    Payment.objects.bulk_create(
        Payment(line=line, amount=line.amount, paid_on=dt.date(2025, 11, 10), voucher="UNC 45")
        for line in AwardLine.objects.filter(dossier__period=cast.period1))
    Period.objects.filter(campaign=cast.campaign).update(status=Period.Status.LOCKED)
    today = timezone.localdate()
    launch, end = today - dt.timedelta(days=10), today + dt.timedelta(days=40)
    path = tmp_path / "tiep.toml"
    path.write_text(DEFINITION.format(year=launch.year, launch=launch, end=end,
                                      due=end + dt.timedelta(days=5)), encoding="utf-8")
    call_command("campaign_load", str(path))
    return cast


def test_archive_switcher_and_a_finished_campaign(page, live_server, two_campaigns, login, shot,
                                                  console_errors):
    login(page, "admin", shot)
    page.goto(live_server.url + "/xep-hang/")
    expect(page).to_have_url(re.compile(r"/phong-trao/TIEP2026/xep-hang/$"))
    shot(page, "ranking-of-the-running-campaign")

    switcher = page.get_by_role("button", name=re.compile("Phong trào: TIEP2026"))
    switcher.click()
    expect(page.get_by_role("link", name="Thi đua thử")).to_be_visible()
    page.get_by_role("link", name="Tất cả phong trào").click()
    expect(page).to_have_url(re.compile(r"/phong-trao/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Các phong trào thi đua")
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="TEST2025")).to_contain_text("Đã kết thúc")
    expect(rows.filter(has_text="TIEP2026")).to_contain_text("Đang diễn ra")
    shot(page, "archive")

    rows.filter(has_text="TEST2025").get_by_role("link", name="Xếp hạng").click()
    expect(page).to_have_url(re.compile(r"/phong-trao/TEST2025/xep-hang/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tháng")
    expect(page.get_by_role("button", name=re.compile("Phong trào: TEST2025"))).to_be_visible()
    shot(page, "ranking-of-the-finished-campaign")

    # The menu stays inside the campaign the page serves.
    page.get_by_role("link", name="Khen thưởng", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/phong-trao/TEST2025/khen-thuong/"))
    shot(page, "dossiers-of-the-finished-campaign")
    page.locator("a[href*='/khen-thuong/ho-so/']").first.click()
    expect(page).to_have_url(re.compile(r"/phong-trao/TEST2025/khen-thuong/ho-so/\d+/$"))
    shot(page, "dossier-of-the-finished-campaign")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tờ trình (PDF)").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    assert console_errors == []
