"""The memo and the decision as PDF: the text a reader sees, and only the vendored fonts."""

import datetime as dt
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from awards import pdf, selectors
from awards.documents import document_context
from awards.models import Dossier
from units.models import Organisation, Person

from ..conftest import set_level
from .conftest import advance, full_dossier, roll_up_period1

State = Dossier.State


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def single_spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def embedded_fonts(content: bytes) -> dict[str, bool]:
    """Every font used on every page (forms included): base name without the subset tag →
    whether a TrueType program is embedded (/FontFile2)."""
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, bool] = {}

    def walk(resources, seen):
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor_owner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descriptor_owner.get("/FontDescriptor")
            fonts[name] = descriptor is not None and "/FontFile2" in descriptor.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if id(xobject) not in seen:
                seen.add(id(xobject))
                walk(xobject.get("/Resources"), seen)

    for page in reader.pages:
        walk(page.get("/Resources"), set())
    return fonts


def documents(dossier):
    context = document_context(selectors.dossier_for_page(dossier.pk))
    return pdf.memo_pdf(context), pdf.decision_pdf(context)


@pytest.fixture(autouse=True)
def office(db):
    """The office and the legal basis are data: this file's are Đắk Lắk's."""
    return Organisation.objects.create(
        name="Bảo hiểm xã hội tỉnh Đắk Lắk", short_name="BHXH tỉnh Đắk Lắk",
        parent="Bảo hiểm xã hội Việt Nam", place="Đắk Lắk", document_symbol="BHXH",
        head_title="Giám đốc",
    )


LEGAL_BASIS = (
    "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\n"
    "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết và hướng dẫn thi hành "
    "Luật Thi đua, khen thưởng\n"
)


@pytest.fixture
def approved(awards_cast):
    # Set before the roll-up: the documents print the campaign as its snapshot stored it.
    awards_cast.campaign.legal_basis = LEGAL_BASIS
    awards_cast.campaign.dispatch_number = "1234/BHXH-TCHC"
    awards_cast.campaign.dispatch_date = dt.date(2025, 9, 30)
    awards_cast.campaign.save()
    rolled = roll_up_period1(awards_cast)
    Person.objects.filter(pk=rolled.director.person.pk).update(full_name="Trần Mạnh Toàn")
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    return rolled


def test_decision_reads_as_an_official_document(approved):
    _, decision = documents(approved.dossier)
    text = pdf_text(decision)
    flat = single_spaced(text)
    for expected in (
        "BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/QĐ-BHXH", "Đắk Lắk, ngày 05 tháng 11 năm 2025", "QUYẾT ĐỊNH",
        "Căn cứ Luật Thi đua, khen thưởng", "Nơi nhận:", "GIÁM ĐỐC", "Trần Mạnh Toàn",
        "Kèm theo Quyết định số 123/QĐ-BHXH ngày 05/11/2025",
    ):
        assert expected in flat, expected
    assert "DỰ THẢO" not in text


def test_the_decision_cites_each_act_of_the_campaign_and_its_dispatch(approved):
    _, decision = documents(approved.dossier)
    flat = single_spaced(pdf_text(decision))
    assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in flat
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ" in flat
    assert "98/2023" not in flat
    assert ("Căn cứ Văn bản số 1234/BHXH-TCHC ngày 30/09/2025 của Giám đốc Bảo hiểm xã hội "
            "tỉnh Đắk Lắk phát động thi đua thử;") in flat
    assert "trong thi đua thử, tháng 10/2025" in flat  # the subject names the campaign


def test_the_office_printed_on_the_documents_is_the_organisation_record(approved, office):
    office.name, office.parent, office.place = "Bảo hiểm xã hội tỉnh Hòa Bình", "Cơ quan cấp trên", "Hòa Bình"
    office.document_symbol, office.head_title = "BHXHHB", "Quyền Giám đốc"
    office.save()
    memo, decision = documents(approved.dossier)
    flat = single_spaced(pdf_text(decision))
    for expected in ("CƠ QUAN CẤP TRÊN", "BẢO HIỂM XÃ HỘI TỈNH HÒA BÌNH", "Hòa Bình, ngày",
                     "QUYỀN GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH HÒA BÌNH", "Số: 123/QĐ-BHXH"):
        assert expected in flat, expected
    assert "Đắk Lắk" not in flat and "Đắk Lắk" not in single_spaced(pdf_text(memo))
    assert "Kính gửi: Quyền Giám đốc Bảo hiểm xã hội tỉnh Hòa Bình" in single_spaced(pdf_text(memo))


def test_decision_annex_lists_collectives_individuals_prizes_and_the_total_in_words(approved):
    _, decision = documents(approved.dossier)
    flat = single_spaced(pdf_text(decision))
    for unit in ("BHXH cơ sở A", "BHXH cơ sở B", "BHXH cơ sở C", "Phòng Tổ chức - Hành chính",
                 "Phòng Kế hoạch - Tài chính"):
        assert unit in flat
    for prize in ("Giải Nhất", "Giải Nhì", "Giải Ba"):
        assert prize in flat
    for person in approved.people["AAA"][:3] + approved.people["BBB"][:2]:
        assert person.full_name in flat
    assert "5.000.000" in flat and "3.000.000" in flat and "500.000" in flat
    assert "Tổng cộng: 18.000.000 đồng" in flat
    assert "Mười tám triệu đồng" in flat


def test_memo_carries_the_standings_and_the_proposal(approved):
    memo, _ = documents(approved.dossier)
    flat = single_spaced(pdf_text(memo))
    for expected in (
        "BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK", "TỜ TRÌNH", "Kính gửi: Giám đốc Bảo hiểm xã hội tỉnh Đắk Lắk",
        "/TTr-QLT", "Có 3/3 BHXH cơ sở đạt đủ các tiêu chí", "92,7 %",
        "Xếp hạng 1 trong các BHXH cơ sở", "Tham mưu tổ chức phong trào thi đua kịp thời",
        "18.000.000 đồng", "Mười tám triệu đồng", "Nhất", "Nhì", "TRƯỞNG PHÒNG", "Nơi nhận:",
    ):
        assert expected in flat, expected


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPRAISED])
def test_documents_are_watermarked_draft_before_approval(rolled, state):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, state)
    memo, decision = documents(rolled.dossier)
    assert "DỰ THẢO" in pdf_text(memo)
    text = pdf_text(decision)
    assert "DỰ THẢO" in text
    assert "Số: /QĐ-BHXH" in single_spaced(text)  # the number is left for the registry to fill


def test_only_the_vendored_tinos_fonts_are_embedded(approved):
    for content in documents(approved.dossier):
        fonts = embedded_fonts(content)
        assert fonts, "no fonts found"
        assert all(name.startswith("Tinos") for name in fonts), fonts
        assert all(fonts.values()), f"not embedded: {fonts}"
        assert {"Tinos", "Tinos-Bold", "Tinos-Italic"} <= set(fonts)


def test_the_draft_watermark_uses_the_same_fonts(rolled):
    memo, decision = documents(rolled.dossier)
    for content in (memo, decision):
        assert "DỰ THẢO" in pdf_text(content)  # the watermark is there
        fonts = embedded_fonts(content)
        assert fonts and all(name.startswith("Tinos") for name in fonts), fonts


def test_every_vietnamese_letter_survives(approved):
    approved.people["AAA"][0].full_name = "Ngô Thị Ửng Ỹ Đặng Hồ Ưng Ợ"
    approved.people["AAA"][0].save()
    _, decision = documents(approved.dossier)
    words = single_spaced(pdf_text(decision)).split()
    for word in "Ngô Thị Ửng Ỹ Đặng Hồ Ưng Ợ".split():  # the name may wrap in its column
        assert word in words, word
    assert all(name.startswith("Tinos") for name in embedded_fonts(decision))


def test_pages_are_a4_portrait(approved):
    for content in documents(approved.dossier):
        pages = PdfReader(io.BytesIO(content)).pages
        assert len(pages) >= 1
        for page in pages:
            box = page.mediabox
            assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_nothing_outside_the_font_folder_is_fetched():
    with pytest.raises(ValueError):
        pdf.LocalFontsOnly().fetch("https://fonts.googleapis.com/css?family=Tinos")
    with pytest.raises(ValueError):
        pdf.LocalFontsOnly().fetch("file:///etc/passwd")
    response = pdf.LocalFontsOnly().fetch((pdf.FONT_DIR / "Tinos-Regular.ttf").resolve().as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"


def test_the_memo_states_the_prize_structure_the_roll_up_used(awards_cast):
    from awards.models import Dossier
    from scoring.services import period_rollup

    set_level(awards_cast.campaign, "third", count=1)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    memo, _ = documents(Dossier.objects.get(period=awards_cast.period1))
    flat = single_spaced(pdf_text(memo))
    assert "tối đa 03 tập thể mỗi tháng: 01 giải Nhất, 01 giải Nhì, 01 giải Ba" in flat


def test_an_unsigned_decision_leaves_the_year_it_can_be_signed_in(rolled):
    import time_machine

    from ..conftest import VN

    with time_machine.travel(dt.datetime(2025, 11, 6, 9, 0, tzinfo=VN), tick=False):
        assert document_context(selectors.dossier_for_page(rolled.dossier.pk))["blank_year"] == 2025
    # December's dossier is decided in January: its blank date reads 2026, not the campaign's 2025.
    rolled.dossier.period.rollup_due_at = dt.datetime(2026, 1, 5, 7, 0, tzinfo=VN)
    with time_machine.travel(dt.datetime(2025, 12, 20, 9, 0, tzinfo=VN), tick=False):
        context = document_context(rolled.dossier)
    assert context["blank_year"] == 2026
    assert "năm 2026" in single_spaced(pdf_text(pdf.decision_pdf(context)))


def test_the_decision_states_each_level_of_the_ladder_the_roll_up_applied(awards_cast):
    from awards.models import Dossier
    from scoring.services import period_rollup

    from ..conftest import set_ladder

    set_ladder(awards_cast.campaign, (
        ("first", "Giải Nhất", 1, 6_000_000, 3),
        ("second", "Giải Nhì", 2, 4_000_000, 2),
        ("khuyen-khich", "Giải Khuyến khích", 2, 1_000_000, 0),
    ))
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    # Renamed afterwards: the documents read what the roll-up applied.
    set_ladder(awards_cast.campaign, (("first", "Giải A", 1, 9_000_000, 1),))
    memo, decision = documents(Dossier.objects.get(period=awards_cast.period1))
    flat = single_spaced(pdf_text(decision))
    assert ("Mức tiền thưởng: giải Nhất 6.000.000 đồng/tập thể; giải Nhì 4.000.000 đồng/tập thể; "
            "giải Khuyến khích 1.000.000 đồng/tập thể; cá nhân 500.000 đồng/người.") in flat
    assert ("tối đa 05 tập thể mỗi tháng: 01 giải Nhất, 02 giải Nhì, 02 giải Khuyến khích"
            in single_spaced(pdf_text(memo)))


def test_a_memo_of_a_month_short_of_reports_quotes_the_like_for_like_rates(awards_cast):
    from campaign.models import Report

    Report.objects.filter(period=awards_cast.period1, unit=awards_cast.office_c).delete()
    rolled = roll_up_period1(awards_cast)
    document = rolled.dossier.snapshot.document
    like = document["coverage"]["like_for_like"]
    memo, _ = documents(rolled.dossier)
    flat = single_spaced(pdf_text(memo))
    covered = f"{document['coverage']['submitted']}/{document['coverage']['expected']} đơn vị đã gửi"
    assert f"Toàn tỉnh chưa đủ báo cáo ({covered})" in flat
    rate = like["participant_rate"].replace(".", ",") + " %"
    assert f"tỷ lệ trên chỉ tiêu của các đơn vị đã gửi: tỷ lệ phát triển người tham gia {rate}" in flat
    totals = document["province"]["metrics"]["participant_rate"].replace(".", ",") + " %"
    assert totals not in flat and "báo cáo chưa gửi tính bằng 0" in flat


def test_the_memo_is_dated_the_day_the_dossier_was_submitted_not_the_day_it_is_printed(awards_cast):
    import time_machine
    from django.utils import timezone

    from awards import services

    rolled = roll_up_period1(awards_cast)
    memo, _ = documents(rolled.dossier)
    year = timezone.localdate().year
    assert f"Đắk Lắk, ngày tháng năm {year}" in single_spaced(pdf_text(memo))  # not submitted: undated
    with time_machine.travel(dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
                             tick=False):
        services.dossier_submit(user=rolled.compiler, dossier=rolled.dossier)
    memo, _ = documents(rolled.dossier)  # printed today, a year and more later
    assert "Đắk Lắk, ngày 03 tháng 11 năm 2025" in single_spaced(pdf_text(memo))


def test_a_part_that_is_zero_is_left_out_of_the_count_of_recipients(awards_cast):
    rolled = roll_up_period1(awards_cast)  # three collectives, nobody named yet
    advance(rolled, rolled.dossier, State.APPROVED)
    memo, decision = documents(rolled.dossier)
    memo_text, decision_text = single_spaced(pdf_text(memo)), single_spaced(pdf_text(decision))
    assert "đề nghị khen thưởng 3 tập thể:" in memo_text
    assert "Điều 1. Khen thưởng 3 tập thể đã có thành tích" in decision_text
    assert "0 cá nhân" not in memo_text + decision_text
