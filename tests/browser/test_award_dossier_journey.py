"""Journey 2: from an Excel import to the director's signed decision.

The compiler imports the period's results from an .xlsx file, rolls the period up on the
ranking page, completes the award dossier and submits it; the appraiser returns it; the
compiler fixes it and submits again; the appraiser appraises it; the director approves it and
downloads the decision as a PDF, signed with the demo's throw-away certificates (the ones
load_demo installs), and checks it on the verification page. Each person works in a browser
of their own.
"""

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from awards import verification
from awards.models import Dossier, IssuedDecision
from awards.services.decisions import DEMO_NOTE, demo_signing_install
from campaign import xlsx
from campaign.models import Report
from units.models import Organisation, Person

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

# October's results as the collection system exports them (labels are campaign/xlsx.py's).
# C leads and B follows, both above the 81 % threshold on every scheme; A falls short.
RESULTS = {
    "AAA": {"mandatory_actual": 9_000, "voluntary_actual": 3_600, "health_actual": 95_000},
    "BBB": {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000},
    "CCC": {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_500},
    "QLT": {"mandatory_actual": 1_800, "voluntary_actual": 800, "health_actual": 13_500,
            "mandatory_last_year": 1_700, "voluntary_last_year": 700, "health_last_year": 13_000,
            "revenue": 40_000_000_000, "nonpublic_revenue": 15_000_000_000,
            "due": 40_000_000_000, "late": 1_000_000_000, "late_interest": 500_000_000},
}
OFFICE_DEFAULTS = {
    "mandatory_last_year": 8_500, "voluntary_last_year": 3_300, "health_last_year": 93_000,
    "revenue": 240_000_000_000, "nonpublic_revenue": 90_000_000_000, "due": 240_000_000_000,
    "late": 6_000_000_000, "late_interest": 3_000_000_000,
}
DECISION_NUMBER = "123/QĐ-BHXH"


@pytest.fixture
def staff_of_prized_units(cast):
    """People of B and C that the compiler can name for the individual prizes (R15)."""
    return {
        "hong": Person.objects.create(full_name="Nguyễn Thị Hồng", unit=cast.office_c,
                                      title="Phó Giám đốc"),
        "duc": Person.objects.create(full_name="Trần Văn Đức", unit=cast.office_c,
                                     title="Chuyên viên"),
        "yen": Person.objects.create(full_name="Lê Thị Yến", unit=cast.office_b,
                                     title="Viên chức thu"),
    }


def fill_results_template(data: bytes) -> bytes:
    """Fill the downloaded template by its header labels, as the office would in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    header = next(
        row for row in sheet.iter_rows(min_row=1, max_row=30)
        if any(cell.value == xlsx.CODE_LABEL for cell in row)
    )
    column_of = {cell.value: cell.column for cell in header if cell.value}
    code_column = column_of[xlsx.CODE_LABEL]
    filled = set()
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        code = row[code_column - 1].value
        if code not in RESULTS:
            continue
        values = RESULTS[code] if code == "QLT" else OFFICE_DEFAULTS | RESULTS[code]
        for column in xlsx.RESULT_COLUMNS:
            sheet.cell(row=row[0].row, column=column_of[column.label], value=values[column.field])
        filled.add(code)
    assert filled == set(RESULTS), f"the template lacks rows for {set(RESULTS) - filled}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def demo_signing(cast, settings, tmp_path):
    """The office, and the demo's signing set-up exactly as load_demo makes it: a throw-away
    CA, the director's and the office's certificates, the signature and seal images."""
    settings.SIGNING_PRIVATE_DIR = tmp_path / "private-signing"
    organisation = Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Đắk Lắk", short_name="BHXH tỉnh Đắk Lắk",
        parent="Bảo hiểm xã hội Việt Nam", place="Đắk Lắk", document_symbol="BHXH",
        head_title="Giám đốc", head_name=cast.director.person.full_name,
    )
    demo_signing_install(organisation=organisation)
    return organisation


@pytest.fixture
def browser_of(new_context, login, shot):
    """A logged-in browser (its own context: its own cookies) for each person of the cast."""

    def _open(username: str):
        page = new_context().new_page()
        page.set_default_timeout(TIMEOUT_MS)
        login(page, username, shot)
        return page

    return _open


def state_badge(page):
    return page.locator("#state")


def transition_card(page, label: str):
    return page.locator(".card").filter(has=page.get_by_role("button", name=label, exact=True))


def individual_form(page, unit_code: str):
    return page.locator("form").filter(
        has=page.locator("option", has_text=f"chọn viên chức của {unit_code}")
    )


def test_import_rollup_and_dossier_to_decision(live_server, cast, staff_of_prized_units,
                                               demo_signing, browser_of, shot, axe, tmp_path):
    people = staff_of_prized_units

    def option(key: str) -> str:
        return f"{people[key].full_name} – {people[key].title}"

    # --- the compiler imports October's results from Excel ---------------------------------
    qlt = browser_of("compiler")
    shot(qlt, "compiler-home")
    qlt.get_by_role("link", name="Excel", exact=True).click()
    expect(qlt.get_by_role("heading", name="Nhập, xuất số liệu bằng Excel")).to_be_visible()
    shot(qlt, "excel-index")
    october_row = qlt.locator("tr").filter(has_text="Tháng 10/2025")
    with qlt.expect_download() as download_info:
        october_row.get_by_role("link", name="Tải mẫu").click()
    template = download_info.value
    assert template.suggested_filename == "mau-ket-qua-TEST2025-ky-1.xlsx"
    upload = tmp_path / "ket-qua-thang-10.xlsx"
    upload.write_bytes(fill_results_template(template.path().read_bytes()))

    october_row.locator("input[type=file]").set_input_files(str(upload))
    october_row.get_by_role("button", name="Tải lên và xem trước").click()
    qlt.wait_for_url(re.compile(r"/excel/nhap/\d+/$"))
    expect(qlt.get_by_text("4 mới", exact=True)).to_be_visible()
    expect(qlt.locator("table tbody tr")).to_have_count(4)
    shot(qlt, "import-preview")
    assert not Report.objects.exists(), "a preview writes nothing"

    qlt.get_by_role("button", name="Xác nhận nhập").click()
    expect(qlt.get_by_role("alert").filter(has_text="Đã nhập «ket-qua-thang-10.xlsx»: 4 mới")
           ).to_be_visible()
    shot(qlt, "import-applied")
    assert Report.objects.filter(period=cast.period1, status=Report.Status.SUBMITTED).count() == 4

    # --- the roll-up, from the ranking page --------------------------------------------------
    qlt.get_by_role("link", name="Xếp hạng", exact=True).click()
    expect(qlt.get_by_text("tạm tính", exact=True)).to_be_visible()
    shot(qlt, "ranking-provisional")
    qlt.get_by_role("button", name="Tổng hợp và khóa sổ Tháng 10/2025").click()
    qlt.get_by_role("button", name="Xác nhận tổng hợp và khóa sổ Tháng 10/2025").click()
    # The roll-up may run in a worker: the page follows it until the snapshot is stored.
    expect(qlt.locator(".alert-success").filter(has_text="Đã tổng hợp và khóa sổ lúc")
           ).to_be_visible(timeout=60_000)
    standings = qlt.locator("#standings tbody tr")
    expect(standings.nth(0)).to_contain_text("BHXH cơ sở C")
    expect(standings.nth(1)).to_contain_text("BHXH cơ sở B")
    shot(qlt, "ranking-rolled-up")
    cast.period1.refresh_from_db()
    assert cast.period1.is_locked

    # --- the compiler completes the dossier and submits it -----------------------------------
    qlt.goto(f"{live_server.url}/khen-thuong/")
    shot(qlt, "dossier-list")
    qlt.locator("tr").filter(has_text="Tháng 10/2025").get_by_role("link", name="Mở").click()
    expect(qlt.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ đề nghị khen thưởng Tháng 10/2025"
    )
    expect(state_badge(qlt)).to_have_text("Dự thảo")
    lines = qlt.locator("#lines")
    expect(lines).to_contain_text("Giải Nhất")
    expect(lines.locator("tbody tr").nth(0)).to_contain_text("BHXH cơ sở C")
    expect(lines.locator("tbody tr").nth(2)).to_contain_text("BHXH cơ sở B")
    dossier_url = qlt.url
    shot(qlt, "dossier-draft")

    form = individual_form(qlt, "CCC")
    form.locator("select[name=person]").select_option(label=option("hong"))
    form.locator("textarea[name=achievement]").fill(
        "Chỉ đạo phát triển 1.200 người tham gia BHYT hộ gia đình; sáng kiến thu qua ứng dụng."
    )
    form.locator("input[name=has_initiative]").check()
    form.get_by_role("button", name="Thêm cá nhân").click()
    expect(qlt.get_by_role("alert").filter(has_text="Đã thêm Nguyễn Thị Hồng.")).to_be_visible()
    expect(lines).to_contain_text("Nguyễn Thị Hồng")
    shot(qlt, "dossier-individual-added")

    card = transition_card(qlt, "Trình thẩm định")
    card.locator("textarea").fill("Kính trình Phòng Tổ chức - Hành chính thẩm định.")
    card.get_by_role("button", name="Trình thẩm định", exact=True).click()
    expect(qlt.get_by_role("alert").filter(has_text="Đã trình hồ sơ")).to_be_visible()
    expect(state_badge(qlt)).to_have_text("Đã trình, chờ thẩm định")
    expect(individual_form(qlt, "BBB")).to_have_count(0)  # read-only once submitted
    shot(qlt, "dossier-submitted")

    # --- the appraiser returns it --------------------------------------------------------------
    tchc = browser_of("appraiser")
    tchc.goto(dossier_url)
    expect(state_badge(tchc)).to_have_text("Đã trình, chờ thẩm định")
    shot(tchc, "appraiser-sees-submitted")
    comment = "Bổ sung cá nhân của BHXH cơ sở B (giải Nhì được đề nghị 2 cá nhân)."
    card = transition_card(tchc, "Trả lại")
    card.locator("textarea").fill(comment)
    card.get_by_role("button", name="Trả lại", exact=True).click()
    expect(tchc.get_by_role("alert").filter(has_text="Đã trả lại hồ sơ")).to_be_visible()
    expect(state_badge(tchc)).to_have_text("Bị trả lại để bổ sung")
    shot(tchc, "dossier-returned")

    # --- the compiler fixes it and submits again -----------------------------------------------
    qlt.goto(dossier_url)
    expect(state_badge(qlt)).to_have_text("Bị trả lại để bổ sung")
    expect(qlt.locator(".alert-warning").filter(has_text="Phòng Tổ chức - Hành chính trả lại")
           ).to_contain_text(comment)
    shot(qlt, "compiler-sees-return")
    form = individual_form(qlt, "BBB")
    form.locator("select[name=person]").select_option(label=option("yen"))
    form.locator("textarea[name=achievement]").fill("Vận động 350 người tham gia BHXH tự nguyện.")
    form.get_by_role("button", name="Thêm cá nhân").click()
    expect(qlt.get_by_role("alert").filter(has_text="Đã thêm Lê Thị Yến.")).to_be_visible()
    card = transition_card(qlt, "Trình thẩm định")
    card.locator("textarea").fill("Đã bổ sung cá nhân của BHXH cơ sở B.")
    card.get_by_role("button", name="Trình thẩm định", exact=True).click()
    expect(state_badge(qlt)).to_have_text("Đã trình, chờ thẩm định")
    shot(qlt, "dossier-resubmitted")

    # --- the appraiser appraises it -------------------------------------------------------------
    tchc.goto(dossier_url)
    expect(tchc.locator("#lines")).to_contain_text("Lê Thị Yến")
    card = transition_card(tchc, "Thẩm định")
    card.locator("input[name='appraise-council_date']").fill("06/11/2025")
    card.locator("input[name='appraise-council_minutes']").fill("05/BB-HĐTĐKT")
    card.get_by_role("button", name="Thẩm định", exact=True).click()
    expect(tchc.get_by_role("alert").filter(has_text="Đã thẩm định")).to_be_visible()
    expect(state_badge(tchc)).to_have_text("Đã thẩm định, chờ phê duyệt")
    expect(tchc.get_by_text("Hội đồng Thi đua - Khen thưởng họp ngày 06/11/2025")).to_be_visible()
    shot(tchc, "dossier-appraised")

    # --- the director approves it and downloads the decision ------------------------------------
    director = browser_of("director")
    director.goto(dossier_url)
    expect(state_badge(director)).to_have_text("Đã thẩm định, chờ phê duyệt")
    shot(director, "director-sees-appraised")
    card = transition_card(director, "Phê duyệt")
    card.locator("input[name='approve-decision_number']").fill(DECISION_NUMBER)
    card.locator("input[name='approve-decision_date']").fill("10/11/2025")
    card.get_by_role("button", name="Phê duyệt", exact=True).click()
    expect(director.get_by_text(f"quyết định số {DECISION_NUMBER} ngày 10/11/2025")).to_be_visible()
    shot(director, "confirm-approve")
    director.get_by_role("button", name="Xác nhận phê duyệt").click()
    expect(director.get_by_role("alert").filter(has_text="Đã phê duyệt")).to_be_visible()
    expect(state_badge(director)).to_have_text("Đã phê duyệt")
    expect(director.get_by_text(f"Quyết định số {DECISION_NUMBER} ngày 10/11/2025")).to_be_visible()
    shot(director, "dossier-approved")

    with director.expect_download() as download_info:
        director.get_by_role("link", name="Quyết định và danh sách (PDF)").click()
    decision = download_info.value
    pdf = decision.path().read_bytes()
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    assert decision.suggested_filename.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("ĐẮK LẮK", DECISION_NUMBER, "Giải Nhất", "Nguyễn Thị Hồng", "Lê Thị Yến"):
        assert expected in text, f"{expected!r} not in the decision PDF"
    assert "DỰ THẢO" not in text, "an approved decision carries no draft watermark"
    assert DEMO_NOTE.split(":")[0] in text, "a demo signature says so on the page"
    (shot.folder / "decision.pdf").write_bytes(pdf)
    issued = IssuedDecision.objects.get(dossier__period=cast.period1)
    assert pdf == bytes(issued.content), "the download is the stored, signed file"
    # pyHanko's validator, off Playwright's event-loop thread.
    with ThreadPoolExecutor(1) as pool:
        checked = pool.submit(verification.verify, pdf).result()
    assert checked.ok and checked.issued == issued, checked.lines()
    assert [s.signer for s in checked.signatures] == [
        f"{cast.director.person.full_name} (DEMO)", "Bảo hiểm xã hội tỉnh Đắk Lắk (DEMO)"]

    # --- anyone signed in checks the file on the verification page ---------------------------
    director.goto(f"{live_server.url}/xac-minh-van-ban/")
    shot(director, "verify-form")
    director.get_by_label("Tệp PDF quyết định").set_input_files(str(shot.folder / "decision.pdf"))
    director.get_by_role("button", name="Kiểm tra", exact=True).click()
    expect(director.locator("#verdict")).to_have_text("HỢP LỆ")
    expect(director.get_by_text(f"Đúng là tệp Quyết định số {DECISION_NUMBER}")).to_be_visible()
    shot(director, "verify-valid")

    dossier = Dossier.objects.get(period=cast.period1)
    assert dossier.state == Dossier.State.APPROVED
    assert dossier.decision_number == DECISION_NUMBER and dossier.approved_by == cast.director
    assert [e.action for e in dossier.events.order_by("at", "pk")][-5:] == [
        "submitted", "returned", "submitted", "appraised", "approved",
    ]

    # --- on a phone, wide tables scroll inside their box, not the whole page -----------------
    director.set_viewport_size({"width": 390, "height": 844})
    for path in ("/bao-cao/", "/khen-thuong/", "/khen-thuong/kinh-phi/", "/khen-thuong/tong-hop/",
                 "/the-le/", dossier_url.removeprefix(live_server.url)):
        director.goto(f"{live_server.url}{path}")
        wider = director.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert wider <= 0, f"{path} is {wider} px wider than a 390 px phone"
        axe(director, f"phone {path}")
    shot(director, "dossier-phone")  # the last page of the loop
