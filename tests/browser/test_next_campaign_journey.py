"""The administrator starts the next campaign in the app: from the archive, a copy of the
running campaign a year on; its definition edited (an impossible threshold refused with its key,
nothing written; amounts typed 60.000.000); then its definition file downloaded. Every page is
audited by `shot` (tests/browser/conftest.py)."""

import re
import tomllib

import pytest
from playwright.sync_api import expect

from campaign.models import Campaign

pytestmark = pytest.mark.browser


def test_archive_copy_edit_and_download_the_next_campaign(page, live_server, cast, login, shot,
                                                          console_errors, tmp_path):
    login(page, "admin", shot)
    page.goto(live_server.url + "/phong-trao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Các phong trào thi đua")
    shot(page, "archive")

    page.get_by_role("link", name="Tạo tiếp từ TEST2025").click()
    expect(page).to_have_url(re.compile(r"/phong-trao/TEST2025/dinh-nghia/sao-chep/$"))
    code = page.get_by_label("Mã phong trào mới").input_value()
    year = int(page.get_by_label("Năm").input_value())
    assert code == f"TEST{year}" and year > cast.campaign.year
    page.get_by_label("Tên phong trào mới").fill(f"Thi đua thử năm {year}")
    shot(page, "copy-form")
    page.get_by_role("button", name="Tạo phong trào").click()

    expect(page).to_have_url(re.compile(rf"/phong-trao/{code}/dinh-nghia/sua/$"))
    expect(page.get_by_role("alert").first).to_contain_text(f"Đã tạo phong trào {code} với 3 kỳ.")
    expect(page.get_by_label("Kinh phí khen thưởng (đồng) budget")).to_have_value("54.000.000")
    shot(page, "edit-the-copy")

    page.get_by_label("Ngưỡng người tham gia (%) – kỳ 1").fill("120")
    page.get_by_label("Kinh phí khen thưởng (đồng) budget").fill("60.000.000")
    page.get_by_role("button", name="Lưu định nghĩa").click()
    errors = page.locator("#loi-dinh-nghia")
    expect(errors).to_contain_text("Định nghĩa có 1 lỗi, chưa ghi gì")
    expect(errors).to_contain_text("periods[1].participant_threshold: phải từ 0 đến 100")
    expect(page.get_by_label("Kinh phí khen thưởng (đồng) budget")).to_have_value("60.000.000")
    shot(page, "an-error-with-its-key")
    assert Campaign.objects.get(code=code).budget == 54_000_000

    page.get_by_label("Ngưỡng người tham gia (%) – kỳ 1").fill("85,5")
    page.get_by_label("Số văn bản phát động dispatch.number").fill("99/BHXH-TCHC")
    page.get_by_label("Ngày văn bản phát động dispatch.date").fill(f"20/09/{year}")
    page.get_by_role("button", name="Lưu định nghĩa").click()
    expect(page).to_have_url(re.compile(rf"/phong-trao/{code}/dinh-nghia/$"))
    expect(page.get_by_role("alert").first).to_contain_text(f"Đã lưu phong trào {code}")
    expect(page.get_by_text("60.000.000 đồng", exact=True)).to_be_visible()
    shot(page, "the-definition")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp định nghĩa (.toml)").click()
    download = download_info.value
    assert download.suggested_filename == f"{code.lower()}.toml"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert (data["code"], data["budget"], data["dispatch"]["number"]) == (code, 60_000_000, "99/BHXH-TCHC")
    assert data["periods"][0]["participant_threshold"] == "85.5"
    assert console_errors == []
