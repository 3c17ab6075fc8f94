"""Each role logs in with something waiting, finds it on the home page, follows it and
confirms the step; the report form fits a 390 px phone; the wide pages print whole on A4
landscape (screenshots and the PDF kept with the others)."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.models import Dossier

from ..awards.conftest import advance, awards_cast, full_dossier, rolled  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
State = Dossier.State


def follow_from_home(page, live_server, shot, text: str):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name=re.compile(r"^Việc cần làm \(\d+\)$"))).to_be_visible()
    task = page.get_by_role("link", name=text).first  # a substring: the name goes on (of the unit…)
    expect(task).to_be_visible()
    shot(page, "home")
    task.click()


def test_staff_find_the_report_to_enter_submit_it_and_confirm(page, live_server, cast, login, shot):
    login(page, "staff_a", shot)
    follow_from_home(page, live_server, shot, "Nhập và gửi báo cáo Tháng 10/2025")
    figures = {"mandatory_actual": "9.400", "voluntary_actual": "3.900", "health_actual": "99.000",
               "mandatory_last_year": "8.500", "voluntary_last_year": "3.300", "health_last_year": "93.000",
               "revenue": "240.000.000.000", "nonpublic_revenue": "90.000.000.000",
               "due": "250.000.000.000", "late": "6.000.000.000", "late_interest": "3.000.000.000"}
    for name, value in figures.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="Gửi báo cáo").click()
    shot(page, "confirm")
    page.get_by_role("button", name="Xác nhận gửi báo cáo").click()
    expect(page.get_by_role("alert").filter(has_text="Đã gửi báo cáo.")).to_be_visible()


def test_the_compiler_finds_the_overdue_roll_up_and_confirms_it(page, live_server, cast, login, shot):
    login(page, "compiler", shot)
    follow_from_home(page, live_server, shot, "Tổng hợp và khóa sổ Tháng 10/2025")
    page.get_by_role("button", name="Tổng hợp và khóa sổ Tháng 10/2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận: tổng hợp và khóa sổ Tháng 10/2025")
    shot(page, "confirm")
    page.get_by_role("button", name="Xác nhận tổng hợp và khóa sổ Tháng 10/2025").click()
    expect(page.get_by_role("alert").filter(has_text="Đã tổng hợp và khóa sổ Tháng 10/2025.")).to_be_visible(
        timeout=60_000)


@pytest.mark.parametrize(("who", "state", "task", "fields", "button", "confirm", "done"), [
    ("appraiser", State.SUBMITTED, "Thẩm định hồ sơ khen thưởng Tháng 10/2025", None, None, None, None),
    ("director", State.APPRAISED, "Phê duyệt hồ sơ khen thưởng Tháng 10/2025",
     {"approve-decision_number": "123/QĐ-BHXH", "approve-decision_date": "05/11/2025"},
     "Phê duyệt", "Xác nhận phê duyệt", "Đã phê duyệt hồ sơ khen thưởng."),
    # Finance: every collective and person is ticked; one day, one voucher for them all.
    ("finance", State.APPROVED, "Chi trả tiền thưởng theo hồ sơ Tháng 10/2025: còn 5 tập thể và 8 cá nhân",
     {"paid_on": "10/11/2025", "voucher": "UNC 45"},
     "Ghi nhận đã chi trả", "Xác nhận đã chi trả", "Đã ghi nhận chi trả."),
], ids=["appraiser", "director", "finance"])
def test_each_award_role_finds_the_dossier_waiting_and_confirms_its_step(
        page, live_server, rolled, login, shot, who, state, task, fields, button, confirm, done):  # noqa: F811
    full_dossier(rolled)
    advance(rolled, rolled.dossier, state)
    login(page, who, shot)
    follow_from_home(page, live_server, shot, task)
    expect(page.locator("#state")).to_be_visible()
    shot(page, "dossier")
    if fields is None:
        return
    for name, value in fields.items():
        page.locator(f"[name='{name}']").fill(value)
    page.locator(f"form[action$='{FORM_OF[who]}'] button[type=submit]").click()
    shot(page, "confirm")
    page.get_by_role("button", name=confirm).click()
    expect(page.get_by_role("alert").filter(has_text=done)).to_be_visible()
    if who == "finance":
        expect(page.locator("#state")).to_have_text("Đã chi trả")
        expect(page.locator("#payments tbody tr.table-success")).to_have_count(13)
        expect(page.locator("#payments")).to_contain_text("UNC 45")
        shot(page, "paid")


FORM_OF = {"director": "/approve/", "finance": "/chi-tra/"}


FITS_JS = """() => [...document.querySelectorAll('form input.form-control')]
  .filter(el => el.offsetParent !== null)
  .map(el => ({id: el.id, fits: el.scrollWidth <= el.clientWidth, left: el.getBoundingClientRect().left}))"""


def test_on_a_390_px_phone_the_report_form_is_one_column_and_no_amount_is_clipped(page, live_server, cast,
                                                                                    login, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "staff_a", shot)
    page.goto(f"{live_server.url}/ky/1/don-vi/AAA/")
    for index in range(page.locator("form input.form-control").count()):
        field = page.locator("form input.form-control").nth(index)
        if field.is_visible() and field.is_editable():
            field.fill("1.093.680.000.000")
    shot(page, "phone-390-long-amounts")
    inputs = page.evaluate(FITS_JS)
    assert len(inputs) >= 11
    assert [i["id"] for i in inputs if not i["fits"]] == []
    assert len({round(i["left"]) for i in inputs}) == 1, "the figures are not in one column"


@pytest.mark.parametrize("path", ["/xep-hang/ky/1/", "/ky/1/bao-cao/", "/bang-dieu-khien/"])
def test_the_wide_pages_print_every_column_on_a4_landscape_without_the_menu(page, live_server, cast,
                                                                             make_report, login, shot, path):
    for unit in (cast.office_a, cast.office_b, cast.qlt):
        make_report(cast.period1, unit)
    login(page, "compiler", shot)
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    # The sheet's printable width at 96 px an inch: 297 mm less 2 × 10 mm of margin.
    page.set_viewport_size({"width": 1047, "height": 740})
    expect(page.locator("nav").first).to_be_hidden()
    widest = page.evaluate("() => Math.max(...[...document.querySelectorAll('table')].map("
                           "t => t.getBoundingClientRect().right))")
    assert widest <= 1047, f"a table ends at {widest} px, past the sheet"
    shot_path = shot(page, "print-preview")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (shot_path.parent / "print.pdf").write_bytes(pdf)
    first = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert first.width > first.height, "a wide page prints on landscape"
