"""The campaign summary as a page, a workbook and a PDF report: what a reader finds in each."""

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Dossier
from campaign.models import Period
from units.models import Organisation, Person

from .conftest import advance, full_dossier, pay_everyone
from .test_campaign_summary import decide_november
from .test_pdf import embedded_fonts, pdf_text, single_spaced

State = Dossier.State


@pytest.fixture
def office(db):
    """The office is data: this file's is the demo's."""
    return Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Đắk Lắk", short_name="BHXH tỉnh Đắk Lắk",
        parent="Bảo hiểm xã hội Việt Nam", place="Đắk Lắk", document_symbol="BHXH",
        head_title="Giám đốc", head_name="Nguyễn Văn Giám",
    )


@pytest.fixture
def decided(rolled, office):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    return rolled


@pytest.fixture
def finished(decided):
    """October paid, the other two months locked with nothing to award, the end date past:
    the campaign has finished (campaign.lifecycle)."""
    pay_everyone(decided, decided.dossier, paid_on=dt.date(2025, 11, 10))
    Period.objects.filter(campaign=decided.campaign).update(status=Period.Status.LOCKED)
    return decided


def test_the_page_shows_each_unit_month_by_month_and_the_budget(client, decided):
    client.force_login(decided.staff_a)
    response = client.get(reverse("awards:summary"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổng kết phong trào – Thi đua thử" in page
    assert "Toàn tỉnh – Phòng Quản lý thu" in page
    assert "Hạng 1" in page and "Giải Nhất" in page
    assert "Quyết định số 123/QĐ-BHXH ngày 05/11/2025" in page and "Chưa tổng hợp" in page
    assert '<td class="num" id="summary-total">18.000.000</td>' in page
    assert '<td class="num" id="summary-budget">54.000.000</td>' in page
    assert '<td class="num" id="summary-remaining">36.000.000</td>' in page
    assert "đã dùng 33,3 %" in page
    # The key rates of the month, as the snapshot stored them.
    rate = decided.dossier.snapshot.document["standings"][0]["metrics"]["participant_rate"]
    assert f"{rate.replace('.', ',')} %" in page
    assert "dự thảo" in page  # two months still to decide
    assert reverse("awards:summary_pdf") in page and reverse("awards:summary_xlsx") in page


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_reads_in_the_same_number_of_queries_whatever_was_decided(client, decided, make_report):
    client.force_login(decided.director)
    url = reverse("awards:summary")
    client.get(url)
    one_month = queries_of(client, url)
    decide_november(decided, make_report)
    Person.objects.bulk_create(Person(full_name=f"Trần Thị {n}", unit=decided.office_a) for n in range(30))
    assert queries_of(client, url) == one_month
    # The session and its user, the campaign and the menu, then the summary's eight reads.
    assert one_month <= 20


def test_the_workbook_holds_the_months_each_unit_the_standings_and_the_prizes(client, decided):
    client.force_login(decided.finance)
    response = client.get(reverse("awards:summary_xlsx"))
    assert response.status_code == 200
    assert 'filename="tong-hop-phong-trao-TEST2025.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Các tháng", "Theo đơn vị", "Kết quả từng tháng", "Tập thể", "Cá nhân"]

    months = [row for row in book["Các tháng"].iter_rows(values_only=True) if any(v is not None for v in row)]
    assert months[0][0] == "BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK"
    october = next(row for row in months if row[0] == "Tháng 10/2025")
    assert october[1:5] == (81, 81, 3, 3)
    assert october[5:] == ("Đạt đủ tiêu chí", "Quyết định số 123/QĐ-BHXH ngày 05/11/2025",
                           5, 8, 14_000_000, 4_000_000, 18_000_000)
    november = next(row for row in months if row[0] == "Tháng 11/2025")
    assert november[6] == "Chưa tổng hợp" and november[7:] == (None,) * 5
    totals = {row[0]: row[11] for row in months if row[0] and row[11] is not None and not str(row[0]).startswith("Tháng")}
    assert totals == {"Tổng cộng đã quyết định": 18_000_000, "Kinh phí khen thưởng của phong trào": 54_000_000,
                      "Còn lại": 36_000_000, "Tỷ lệ kinh phí đã dùng (%)": pytest.approx(33.3)}

    header, *records = book["Theo đơn vị"].iter_rows(values_only=True)
    assert header[:7] == ("Mã đơn vị", "Đơn vị", "Tháng 10/2025: hạng", "Tháng 10/2025: C1",
                          "Tháng 10/2025: C2", "Tháng 10/2025: C3", "Tháng 10/2025: giải")
    assert records[0][:7] == ("QLT", "Toàn tỉnh – Phòng Quản lý thu", "Đạt đủ tiêu chí", "Đạt", "Đạt", "Đạt", None)
    assert records[1][:7] == ("AAA", "BHXH cơ sở A", 1, "Đạt", "Đạt", "Đạt", "Giải Nhất")
    assert records[1][-2:] == (1, 1)

    header, *standings = book["Kết quả từng tháng"].iter_rows(values_only=True)
    stored = decided.dossier.snapshot.document["standings"][0]
    aaa = standings[0]
    assert aaa[:5] == ("Tháng 10/2025", 1, "AAA", "BHXH cơ sở A", "Đã gửi")
    assert aaa[5] == pytest.approx(float(stored["metrics"]["participant_rate"]))
    assert aaa[10:] == ("Đạt", "Đạt", "Đạt", "Giải Nhất", 5_000_000)
    assert standings[-1][:4] == ("Tháng 10/2025", "Tỉnh", "QLT", "Phòng Quản lý thu (toàn tỉnh)")


def test_the_pdf_is_a_report_in_the_offices_style(client, decided):
    client.force_login(decided.compiler)
    response = client.get(reverse("awards:summary_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-tong-ket-TEST2025.pdf"' in response["Content-Disposition"]
    text = single_spaced(pdf_text(response.content))
    for expected in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK", "Số: /BC-BHXH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Tổng kết thi đua thử",
        "Đắk Lắk, ngày tháng năm",  # two months undecided: a draft, its date left blank
        "DỰ THẢO",
        "I. Kết quả thi đua từng tháng", "Quyết định số 123/",
        "Đã khen thưởng 5 lượt tập thể và 8 lượt cá nhân, tổng số tiền 18.000.000 đồng",
        "Mười tám triệu đồng", "bằng 33,3 % kinh phí khen thưởng của phong trào (54.000.000 đồng), "
        "còn lại 36.000.000 đồng",
        "GIÁM ĐỐC", "Nguyễn Văn Giám",
        "PHỤ LỤC", "Toàn tỉnh – Phòng Quản lý thu", "Hạng 1", "Giải Nhất",
        "Tháng 10/2025: các tỷ lệ và tiêu chí",
    ):
        assert expected in text, expected
    fonts = embedded_fonts(response.content)
    assert fonts and all(name.startswith("Tinos") for name in fonts) and all(fonts.values()), fonts
    if os.environ.get("ARTIFACTS_DIR"):
        folder = Path(os.environ["ARTIFACTS_DIR"]) / "pdf"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bao-cao-tong-ket.pdf").write_bytes(response.content)


def test_a_finished_campaigns_report_is_final_and_dated_by_its_last_decision(client, finished):
    client.force_login(finished.director)
    text = single_spaced(pdf_text(client.get(reverse("awards:summary_pdf")).content))
    assert "Đắk Lắk, ngày 05 tháng 11 năm 2025" in text
    assert "DỰ THẢO" not in text
    for name in ("awards:summary", "awards:summary_xlsx", "awards:summary_pdf"):
        assert client.get(reverse(name)).status_code == 200, name


def test_without_a_campaign_the_downloads_are_not_found(client, db, office):
    from ..conftest import make_user

    client.force_login(make_user("alone", None, superuser=True))
    assert client.get("/khen-thuong/tong-hop/").status_code == 200
    assert client.get("/khen-thuong/tong-hop.pdf").status_code == 404


def test_a_national_installations_units_are_paged_with_the_province_on_every_page(client, decided, monkeypatch):
    from awards import views

    monkeypatch.setattr(views, "SUMMARY_PAGE_SIZE", 2)
    client.force_login(decided.director)
    first = client.get(reverse("awards:summary")).content.decode()
    second = client.get(reverse("awards:summary") + "?trang=2").content.decode()
    assert "BHXH cơ sở B" in first and "BHXH cơ sở C" not in first.split("4. Khen thưởng tập thể")[0]
    assert "BHXH cơ sở A" not in second.split("4. Khen thưởng tập thể")[0] and "BHXH cơ sở C" in second
    assert "Trang 2/2 (3 đơn vị" in second
    assert all("Toàn tỉnh – Phòng Quản lý thu" in page for page in (first, second))
