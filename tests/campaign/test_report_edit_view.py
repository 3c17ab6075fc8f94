from fractions import Fraction

from django.urls import reverse

from campaign.models import Period, Report

from ..conftest import report_figures


def _url(period, unit):
    return reverse("campaign:report_edit", args=[period.number, unit.code])


def _post_data(version="0", **overrides):
    """What the page posts; version "0": it was opened when the unit had no report."""
    data = {k: f"{v:,}".replace(",", ".") for k, v in report_figures(**overrides).items()}
    return data | {"version": version}


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(_url(cast.period1, cast.office_a))
    assert response.status_code == 302 and reverse("login") in response.url


def test_staff_opens_their_own_units_report(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(_url(cast.period1, cast.office_a))
    assert response.status_code == 200
    assert "BHXH cơ sở A" in response.content.decode()


def test_staff_gets_404_for_another_units_report(client, cast, make_report):
    make_report(cast.period1, cast.office_b)
    client.force_login(cast.staff_a)
    assert client.get(_url(cast.period1, cast.office_b)).status_code == 404
    assert client.post(_url(cast.period1, cast.office_b), _post_data()).status_code == 404
    assert Report.objects.get(unit=cast.office_b).revenue == report_figures()["revenue"]


def test_staff_saves_a_draft_typed_with_dotted_thousands(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(_url(cast.period1, cast.office_a), _post_data() | {"save": "1"})
    assert response.status_code == 302
    report = Report.objects.get(unit=cast.office_a)
    assert report.status == Report.Status.DRAFT
    assert report.revenue == 230_000_000_000


def test_staff_submits_and_then_the_form_is_read_only(client, cast):
    client.force_login(cast.staff_a)
    client.post(_url(cast.period1, cast.office_a), _post_data() | {"submit": "1", "confirm": "1"})
    assert Report.objects.get(unit=cast.office_a).is_submitted
    page = client.get(_url(cast.period1, cast.office_a)).content.decode()
    assert "Gửi báo cáo</button>" not in page
    assert "disabled" in page
    version = str(Report.objects.get(unit=cast.office_a).version)
    client.post(_url(cast.period1, cast.office_a), _post_data(version, revenue=1) | {"save": "1"})
    assert Report.objects.get(unit=cast.office_a).revenue == 230_000_000_000


def test_bad_values_are_shown_in_vietnamese_and_nothing_is_saved(client, cast):
    client.force_login(cast.staff_a)
    data = _post_data(revenue=100, nonpublic_revenue=200) | {"late": "abc", "save": "1"}
    response = client.post(_url(cast.period1, cast.office_a), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phải là số nguyên" in page
    assert "không được lớn hơn số thu lũy kế" in page
    assert "Chưa lưu gì: số liệu còn lỗi" in page  # said once at the top, not only per field
    assert not Report.objects.exists()


def test_late_payments_above_the_amount_due_are_refused_and_kept_on_the_page(client, cast):
    # A typo with three zeros too many would make R8's ratio 88.691.390,5 %.
    client.force_login(cast.staff_a)
    data = _post_data(due=1_127_505_154_639, late=1_000_000_000_000_000_000, late_interest=0)
    page = client.post(_url(cast.period1, cast.office_a), data | {"save": "1"}).content.decode()
    assert "Số tiền chậm đóng không được lớn hơn số phải thu." in page
    assert "1.000.000.000.000.000.000" in page  # what was typed stays
    assert not Report.objects.exists()


def test_negative_value_is_refused(client, cast):
    client.force_login(cast.staff_a)
    response = client.post(_url(cast.period1, cast.office_a), _post_data() | {"due": "-5", "save": "1"})
    assert "Không được là số âm" in response.content.decode()
    assert not Report.objects.exists()


def test_page_shows_derived_rates_against_the_threshold(client, cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT,
                health_actual=98_100)  # (98.100 - 90.000) / 10.000 = 81,0 %
    client.force_login(cast.staff_a)
    page = client.get(_url(cast.period1, cast.office_a)).content.decode()
    assert "81,0 %" in page
    assert "230.000.000.000" in page


def test_locked_period_is_read_only(client, cast):
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    client.force_login(cast.staff_a)
    client.post(_url(cast.period1, cast.office_a), _post_data() | {"save": "1"})
    assert not Report.objects.exists()


def test_a_save_after_the_month_was_locked_says_so_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(_url(cast.period1, cast.office_a)).status_code == 200  # opened while open
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)  # the roll-up
    response = client.post(_url(cast.period1, cast.office_a),
                           _post_data(revenue=231_456_789_000) | {"submit": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "đã khóa sổ để tổng hợp" in page and "Số liệu vừa nhập chưa được lưu" in page
    assert "231.456.789.000" in page  # the typed figure, shown read-only
    assert not Report.objects.exists()


def test_a_save_over_a_report_submitted_meanwhile_says_so(client, cast, make_report):
    make_report(cast.period1, cast.office_a)  # submitted by a colleague or an import
    client.force_login(cast.staff_a)
    response = client.post(_url(cast.period1, cast.office_a), _post_data(revenue=7) | {"save": "1"})
    assert "Báo cáo đã gửi; Phòng Quản lý thu phải trả lại trước khi sửa." in response.content.decode()
    assert Report.objects.get(unit=cast.office_a).revenue == 230_000_000_000


def test_director_reads_any_report_but_cannot_save(client, cast, make_report):
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT)
    client.force_login(cast.director)
    assert client.get(_url(cast.period1, cast.office_b)).status_code == 200
    response = client.post(_url(cast.period1, cast.office_b), _post_data(revenue=5) | {"save": "1"})
    assert response.status_code == 403
    assert Report.objects.get(unit=cast.office_b).revenue == 230_000_000_000


def test_compiler_returns_a_report_with_a_reason(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.compiler)
    url = reverse("campaign:report_return", args=[1, cast.office_a.code])
    client.post(url, {"reason": "Số thu chưa khớp"})
    assert Report.objects.get(unit=cast.office_a).status == Report.Status.DRAFT


def test_staff_cannot_return_a_report(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.staff_a)
    url = reverse("campaign:report_return", args=[1, cast.office_a.code])
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert Report.objects.get(unit=cast.office_a).is_submitted


def test_collection_department_sees_province_criteria(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.compiler)
    page = client.get(_url(cast.period1, cast.qlt)).content.decode()
    assert "tổng toàn tỉnh" in page


def test_collection_department_preview_totals_only_submitted_reports(client, cast, make_report):
    make_report(cast.period1, cast.office_a, health_actual=95_000)
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT, health_actual=99_000)
    make_report(cast.period1, cast.qlt, status=Report.Status.DRAFT, health_actual=1_000)
    client.force_login(cast.compiler)
    response = client.get(_url(cast.period1, cast.qlt))
    health = response.context["preview"]["standing"].scheme("health")
    assert health.actual == 95_000 + 1_000  # A's submitted report plus the figures on screen


def test_a_department_that_reports_no_figures_has_no_report_page(client, cast):
    client.force_login(cast.compiler)
    assert client.get(_url(cast.period1, cast.tchc)).status_code == 404


def test_a_number_pasted_with_a_trailing_space_keeps_its_thousands(client, cast):
    # Django alone read "1.000 " as 1: the lone dot followed by four characters looked decimal.
    client.force_login(cast.staff_a)
    data = _post_data() | {"late_interest": "1.000 ", "late": "\t25.000\n", "save": "1"}
    assert client.post(_url(cast.period1, cast.office_a), data).status_code == 302
    report = Report.objects.get(unit=cast.office_a)
    assert (report.late_interest, report.late) == (1_000, 25_000)


def test_a_dot_that_does_not_group_thousands_is_refused(client, cast):
    client.force_login(cast.staff_a)
    for typed in ("1.00", "1.0000", "12.34.567"):
        response = client.post(_url(cast.period1, cast.office_a), _post_data() | {"late": typed, "save": "1"})
        assert "Phải là số nguyên, ví dụ 5.000.000." in response.content.decode(), typed
    assert not Report.objects.exists()


def test_only_the_digits_an_office_types_are_read(client, cast):
    # int() alone takes Python's underscores and other scripts' digits.
    client.force_login(cast.staff_a)
    for typed in ("35_871", "١٢٣", "１２３", "1 2 3"):
        response = client.post(_url(cast.period1, cast.office_a), _post_data() | {"late": typed, "save": "1"})
        assert "Phải là số nguyên, ví dụ 5.000.000." in response.content.decode(), typed
    assert not Report.objects.exists()


def test_the_panel_never_shows_a_missed_rate_as_its_threshold(client, cast, make_report):
    # 210.496.000.000 / 260.000.000.000 = 80,96 %: "81,0 %" beside "✗ chưa đạt" would contradict it.
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT, revenue=210_496_000_000,
                nonpublic_revenue=0)
    client.force_login(cast.staff_a)
    page = client.get(_url(cast.period1, cast.office_a)).content.decode()
    assert "80,96 %" in page and "81,0 %" not in page
    assert "≤ 3,5 %" in page and "3,50 %" not in page  # the ceiling as set, as the explanations write it


def test_collection_department_preview_shows_coverage_and_like_for_like_never_the_totals_rate(
        client, cast, make_report):
    # A in, B a draft, C missing; the figures on screen stand for the department's own part.
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT)
    make_report(cast.period1, cast.qlt, status=Report.Status.DRAFT, mandatory_actual=1_400,
                voluntary_actual=500, health_actual=10_000, revenue=18_000_000_000,
                nonpublic_revenue=0, due=18_000_000_000, late=0, late_interest=0)
    client.force_login(cast.compiler)
    response = client.get(_url(cast.period1, cast.qlt))
    preview = response.context["preview"]
    assert preview["coverage_text"] == "2/4 đơn vị đã gửi"
    # (9.000 + 1.400 − 9.000) / (11.000 − 9.000) over A's and the department's own targets.
    assert preview["like_for_like"].schemes[0].rate == Fraction(1_400, 2_000)
    page = response.content.decode()
    assert "Tỷ lệ trên chỉ tiêu của các đơn vị đã gửi" in page and "70,0 %" in page
    totals = preview["standing"].scheme("mandatory").rate  # (10.400 − 26.000) / 4.000
    assert totals == Fraction(-15_600, 4_000) and "390,0 %" not in page
    assert "Chưa đủ báo cáo (2/4 đơn vị đã gửi)" in page
