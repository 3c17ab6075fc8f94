"""The home page lists what waits for the person who opens it, each step a link with its
deadline, and the menu counts them."""

import datetime as dt

import time_machine
from django.urls import reverse

from campaign import services
from campaign.models import Period, Report

from ..conftest import VN, report_figures

NOV_3 = dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN)


def home(client, user, when=NOV_3):
    client.force_login(user)
    with time_machine.travel(when, tick=False):
        return client.get(reverse("home")).content.decode()


def test_home_requires_login(client, cast):
    assert client.get(reverse("home")).status_code == 302


def test_home_without_campaign_explains_how_to_load_one(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("x"))
    assert "load_demo" in client.get(reverse("home")).content.decode()


def test_staff_see_each_open_months_report_to_enter_with_days_left_and_the_menu_count(client, cast):
    page = home(client, cast.staff_a)
    assert "Nhập và gửi báo cáo Tháng 10/2025 của BHXH cơ sở A" in page
    assert reverse("campaign:report_edit", args=[1, "AAA"]) in page
    assert "Hạn: 07:00 05/11/2025" in page and "(còn 2 ngày)" in page
    assert "Nhập và gửi báo cáo Tháng 12/2025" in page  # every open month
    assert "Việc cần làm (3)" in page  # the menu's count and the list's heading


def test_staff_see_a_returned_report_with_the_reason_and_a_submitted_one_as_done(client, cast, make_report):
    report = make_report(cast.period1, cast.office_a)
    make_report(cast.periods[1], cast.office_a)
    services.report_return(user=cast.compiler, report=report, reason="Số thu chưa khớp sổ")
    page = home(client, cast.staff_a)
    assert "Sửa và gửi lại báo cáo Tháng 10/2025 bị trả lại" in page
    assert "Lý do trả lại: Số thu chưa khớp sổ" in page
    assert "Đã gửi báo cáo Tháng 11/2025 lúc" in page
    assert "Việc cần làm (2)" in page  # the returned October and the missing December


def test_a_draft_never_returned_is_asked_to_be_submitted_without_a_reason(client, cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT)
    page = home(client, cast.staff_a)
    assert "Gửi báo cáo Tháng 10/2025 (đang là bản nháp)" in page and "Lý do" not in page


def test_compiler_sees_missing_and_draft_reports_per_unit_and_the_rollup_due(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT)
    page = home(client, cast.compiler)
    assert "Theo dõi báo cáo Tháng 10/2025: 2 đơn vị chưa có báo cáo, 1 bản nháp" in page
    assert "BHXH cơ sở B: bản nháp" in page and "BHXH cơ sở C: chưa có báo cáo" in page
    assert "BHXH cơ sở A:" not in page
    assert reverse("campaign:report_edit", args=[1, "CCC"]) in page
    assert "Tổng hợp và khóa sổ Tháng 10/2025" in page
    assert "Tổng hợp và khóa sổ Tháng 11/2025" not in page  # a month away
    overdue = home(client, cast.compiler, dt.datetime(2025, 11, 5, 8, 0, tzinfo=VN))
    assert "Tổng hợp và khóa sổ Tháng 10/2025 (đã quá hạn)" in overdue


def test_compiler_sees_the_first_ten_waiting_units_by_name_and_a_link_to_the_rest(client, cast, make_report):
    from units.models import Unit

    # Eleven more offices, none reporting: with the department and B, C, fifteen units waiting,
    # listed in the reports page's order (the collection department first, then by order).
    for number in range(1, 12):
        Unit.objects.create(code=f"X{number:02}", name=f"BHXH cơ sở X{number:02}",
                            kind=Unit.Kind.LOCAL_OFFICE, order=10 + number)
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT)
    page = home(client, cast.compiler)
    assert "Theo dõi báo cáo Tháng 10/2025: 14 đơn vị chưa có báo cáo, 1 bản nháp" in page
    assert "Phòng Quản lý thu: chưa có báo cáo" in page and "BHXH cơ sở A: bản nháp" in page
    assert "BHXH cơ sở X06: chưa có báo cáo" in page and "BHXH cơ sở X07" not in page
    assert "và 5 đơn vị khác" in page
    assert reverse("campaign:period_reports", args=[1]) in page


def test_an_ended_campaign_says_so_with_links_to_its_results(client, cast):
    Period.objects.filter(campaign=cast.campaign).update(status=Period.Status.LOCKED)
    page = home(client, cast.staff_a, dt.datetime(2026, 1, 10, 9, 0, tzinfo=VN))
    assert "Đã kết thúc" in page and "Kỳ đang mở" not in page and "Đã khóa" not in page
    assert reverse("scoring:ranking", args=[3]) in page
    assert reverse("awards:summary") in page
    assert "Việc cần làm (0)" in page


def test_director_with_nothing_waiting_is_told_so(client, cast):
    page = home(client, cast.director)
    assert "Không có việc nào đang chờ anh/chị" in page
    assert "Việc cần làm (0)" in page and "Việc cần làm (0)</a>" not in page  # no count of 0 in the menu


def test_staff_report_submitted_through_the_service_leaves_the_list(client, cast):
    services.report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), submit=True, expected_version=0)
    page = home(client, cast.staff_a)
    assert "Nhập và gửi báo cáo Tháng 10/2025" not in page
    assert "Đã gửi báo cáo Tháng 10/2025 lúc" in page


def test_the_menu_on_another_page_counts_the_steps_the_home_page_lists(client, cast, make_report):
    import re

    returned = make_report(cast.period1, cast.office_a)
    make_report(cast.periods[1], cast.office_a, status=Report.Status.DRAFT)
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT)
    services.report_return(user=cast.compiler, report=returned, reason="Số thu chưa khớp sổ")
    for user in (cast.staff_a, cast.compiler):
        listed = re.search(r"Việc cần làm \((\d+)\)", home(client, user)).group(1)
        with time_machine.travel(NOV_3, tick=False):
            menu = client.get(reverse("scoring:rules")).content.decode()
        assert int(listed) > 0 and f"Việc cần làm ({listed})</a>" in menu, user
