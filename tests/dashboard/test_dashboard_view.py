import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign.models import Target
from scoring.services import period_rollup
from units.models import Unit

from ..conftest import target_figures


@pytest.fixture
def reported(cast, make_report):
    make_report(cast.period1, cast.office_a, mandatory_actual=9_400, voluntary_actual=3_900,
                health_actual=99_000, revenue=240_000_000_000)
    make_report(cast.period1, cast.office_b)
    return cast


@pytest.mark.parametrize("who", ["staff_a", "compiler", "appraiser", "finance", "director"])
def test_every_role_sees_the_dashboard(client, reported, who):
    client.force_login(getattr(reported, who))
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bảng xếp hạng" in page and "BHXH cơ sở A" in page


def test_dashboard_shows_ranking_criteria_and_missing_reports(client, reported):
    client.force_login(reported.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    assert "tạm tính" in page
    assert "BHXH cơ sở A" in page and "90,0 %" in page
    assert "BHXH cơ sở C – Chưa có báo cáo" in page
    assert "Toàn tỉnh so với ngưỡng 81 %" in page


def test_chart_data_matches_the_table(client, reported):
    client.force_login(reported.director)
    response = client.get(reverse("dashboard:dashboard") + "?ky=1")
    page = response.content.decode()
    embedded = json.loads(page.split('<script id="charts-data" type="application/json">')[1].split("</script>")[0])
    health = next(c for c in embedded if c["scheme"] == "health")
    assert health["threshold"] == "81"
    # Every bar is the rate the standings table shows for that office and scheme.
    table = {
        row["unit"]: next(s["rate"] for s in row["schemes"] if s["scheme"] == "health")
        for row in response.context["rows"] if row["schemes"]
    }
    assert [(p["unit"], p["rate"]) for p in health["points"]] == [("AAA", "90.0"), ("BBB", "50.0")]
    assert {p["unit"]: p["rate"] for p in health["points"]} == table


def test_trend_spans_the_three_periods(client, reported):
    period_rollup(period=reported.period1, user=reported.compiler)
    client.force_login(reported.director)
    trend = client.get(reverse("dashboard:dashboard")).context["trend"]
    assert trend["labels"] == ["Tháng 10/2025", "Tháng 11/2025", "Tháng 12/2025"]
    assert trend["thresholds"] == ["81", "91", "100"]
    assert trend["eligible"][0] == 1


def test_department_filter_shows_the_province_row_only(client, reported):
    client.force_login(reported.director)
    rows = client.get(reverse("dashboard:dashboard") + "?ky=1&loai=department").context["rows"]
    assert [r["unit"] for r in rows] == ["QLT"]


def test_export_contains_what_is_shown(client, reported):
    client.force_login(reported.director)
    response = client.get(reverse("dashboard:export") + "?ky=1&loai=local_office")
    assert response.status_code == 200
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    codes = [sheet.cell(row=r, column=2).value for r in range(6, sheet.max_row + 1)]
    assert codes[:3] == ["AAA", "BBB", "CCC"]
    assert "tạm tính" in sheet["A2"].value


@pytest.mark.parametrize("kind", ["local_office", "department", "all"])
def test_export_has_exactly_the_rows_of_the_page_the_province_once(client, reported, kind):
    client.force_login(reported.director)
    shown = client.get(reverse("dashboard:dashboard") + f"?ky=1&loai={kind}").context["rows"]
    response = client.get(reverse("dashboard:export") + f"?ky=1&loai={kind}")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    exported = [sheet.cell(row=r, column=2).value for r in range(6, sheet.max_row + 1)]
    assert exported == [r["unit"] for r in shown]
    names = [sheet.cell(row=r, column=3).value for r in range(6, sheet.max_row + 1)]
    assert sum("(toàn tỉnh" in name for name in names) == (kind != "local_office")


def test_dashboard_queries_do_not_grow_with_units(client, reported, make_report, django_assert_max_num_queries):
    client.force_login(reported.director)
    url = reverse("dashboard:dashboard") + "?ky=1"
    with django_assert_max_num_queries(38) as small:  # ladder ×2, office, menu's campaigns, what waits ×3
        client.get(url)
    for i in range(60):
        unit = Unit.objects.create(code=f"X{i:02d}", name=f"Office {i}", kind=Unit.Kind.LOCAL_OFFICE)
        Target.objects.create(campaign=reported.campaign, unit=unit, **target_figures())
        make_report(reported.period1, unit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_dashboard_shows_the_dossier_state_and_the_budget(client, reported):
    period_rollup(period=reported.period1, user=reported.compiler)
    client.force_login(reported.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    assert "Hồ sơ khen thưởng" in page and "Dự thảo" in page
    assert "54.000.000 đồng" in page
    # Proposed: first prize 5.000.000 for AAA (the only eligible office).
    assert "5.000.000 đồng" in page


def test_a_national_size_dashboard_shows_the_head_of_each_list(client, reported, make_report, monkeypatch):
    from dashboard import selectors

    monkeypatch.setattr(selectors, "TABLE_ROWS", 2)
    monkeypatch.setattr(selectors, "CHART_POINTS", 1)
    client.force_login(reported.director)
    response = client.get(reverse("dashboard:dashboard") + "?ky=1")
    assert [r["unit"] for r in response.context["rows"]] == ["AAA", "BBB"]
    assert response.context["more_rows"] == 1
    assert all(len(c["points"]) == 1 and c["hidden"] == 1 for c in response.context["charts"])
    assert "… và 1 đơn vị nữa" in response.content.decode()


def test_the_ranking_page_is_paged_at_national_scale(client, reported, monkeypatch):
    from scoring import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 2)
    client.force_login(reported.director)
    first = client.get(reverse("scoring:ranking", args=[1]))
    assert [r["unit"] for r in first.context["page"].object_list] == ["AAA", "BBB"]
    second = client.get(reverse("scoring:ranking", args=[1]) + "?trang=2")
    assert [r["unit"] for r in second.context["page"].object_list] == ["CCC"]
    assert "Trang 2/2 (3 đơn vị)" in second.content.decode()


def test_the_province_panel_says_its_totals_miss_the_unsubmitted_offices(client, reported):
    # CCC and the collection department's own part have no report: 2 of 4 units in the sums.
    client.force_login(reported.director)
    page = client.get(reverse("dashboard:dashboard") + "?ky=1").content.decode()
    assert "Tổng toàn tỉnh chưa đủ báo cáo: 2/4 đơn vị đã gửi</strong> (2 chưa có báo cáo)" in page
    assert "báo cáo chưa gửi (thiếu hoặc bản nháp) được tính bằng 0" in page
    ranking = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "Tổng toàn tỉnh chưa đủ báo cáo: 2/4 đơn vị đã gửi" in ranking


@pytest.mark.parametrize(("who", "linked"), [
    ("staff_a", {"AAA"}), ("staff_b", {"BBB"}),
    ("compiler", {"AAA", "BBB", "CCC"}), ("director", {"AAA", "BBB", "CCC"}),
])
def test_a_unit_name_links_to_its_panel_only_for_those_who_may_open_it(client, reported, who, linked):
    client.force_login(getattr(reported, who))
    page = client.get(reverse("dashboard:dashboard")).content.decode()
    for code in ("AAA", "BBB", "CCC"):
        url = reverse("dashboard:unit_panel", args=[code])
        assert (f'href="{url}"' in page) == (code in linked), code
        if code in linked:  # the link followed opens the panel
            assert client.get(url).status_code == 200
        else:
            assert client.get(url).status_code == 404
