"""The campaign summary for the annual review, as a unit's staff member finds it: from the menu,
each unit month by month, the prizes and the budget, then the report downloaded as a PDF."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.models import Dossier
from units.models import Organisation

from ..awards.conftest import advance, awards_cast, full_dossier, rolled  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_staff_open_the_campaign_summary_and_download_its_report(page, live_server, rolled, login, shot):  # noqa: F811
    Organisation.objects.create(name="Bảo hiểm xã hội tỉnh Thử", short_name="BHXH tỉnh Thử",
                                parent="Bảo hiểm xã hội Việt Nam", place="Thử", document_symbol="BHXH",
                                head_title="Giám đốc", head_name="Nguyễn Văn Giám")
    full_dossier(rolled)
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    login(page, "staff_a")
    page.get_by_role("navigation").get_by_role("link", name="Khen thưởng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Tổng kết phong trào"))
    records = page.locator("#summary-records")
    expect(records.get_by_role("row").filter(has_text="BHXH cơ sở A")).to_contain_text("Hạng 1")
    expect(records.get_by_role("row").filter(has_text="Toàn tỉnh")).to_contain_text("Đạt đủ tiêu chí")
    expect(page.locator("#summary-total")).to_have_text("18.000.000")
    expect(page.locator("#summary-remaining")).to_have_text("36.000.000")
    shot(page, "summary")

    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo tổng kết (PDF)").click()
    content = open(download.value.path(), "rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "BÁO CÁO" in text and "BẢO HIỂM XÃ HỘI TỈNH THỬ" in text and "18.000.000" in text

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#summary-total")).to_be_attached()
    shot(page, "summary-phone")
