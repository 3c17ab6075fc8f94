"""Who sees which figures of the standings (scoring.selectors)."""

from django.urls import reverse

from campaign.models import Report

DRAFT_FIGURE = "62,3 %"  # AAA's draft: mandatory (9.123 − 8.500) / 1.000 = 62,3 %


def draft_of_a(cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT, mandatory_actual=9_123)
    make_report(cast.period1, cast.office_b)


def test_another_units_staff_see_a_draft_listed_without_its_figures(client, cast, make_report):
    draft_of_a(cast, make_report)
    client.force_login(cast.staff_b)
    for url in (reverse("scoring:ranking", args=[1]), reverse("dashboard:dashboard") + "?ky=1"):
        page = client.get(url).content.decode()
        assert "BHXH cơ sở A" in page and DRAFT_FIGURE not in page, url
        assert "số liệu chỉ đơn vị và các phòng quản lý xem được" in page


def test_the_standings_export_hides_another_units_draft_too(client, cast, make_report):
    import io

    from openpyxl import load_workbook

    draft_of_a(cast, make_report)
    client.force_login(cast.staff_b)
    content = client.get(reverse("dashboard:export") + "?ky=1&loai=local_office").content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    row_a = next(row for row in rows if "BHXH cơ sở A" in row)
    assert 62.3 not in row_a
    assert "Không đạt" not in row_a and "Đạt" not in row_a  # its criteria are not known here


def test_the_unit_and_the_managers_see_the_drafts_figures(client, cast, make_report):
    draft_of_a(cast, make_report)
    for who in (cast.staff_a, cast.compiler, cast.director, cast.appraiser, cast.finance, cast.admin):
        client.force_login(who)
        page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
        assert DRAFT_FIGURE in page, who.username
