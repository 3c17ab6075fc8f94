from django.urls import reverse


def test_home_requires_login(client, cast):
    assert client.get(reverse("home")).status_code == 302


def test_staff_home_shows_open_period_unit_role_and_next_step(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("home")).content.decode()
    assert "Tháng 10/2025" in page
    assert "BHXH cơ sở A" in page
    assert "Cán bộ đơn vị" in page
    assert "Nhập báo cáo" in page
    assert "05/11/2025" in page
    assert reverse("campaign:report_edit", args=[1, "AAA"]) in page


def test_compiler_home_counts_reports(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.compiler)
    page = client.get(reverse("home")).content.decode()
    assert "1 đơn vị đã gửi" in page
    assert "3 chưa có báo cáo" in page  # B, C and the collection department


def test_home_without_campaign_explains_how_to_load_one(client, db):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("x"))
    assert "load_demo" in client.get(reverse("home")).content.decode()


def test_home_says_when_the_rollup_is_overdue(client, cast):
    import datetime as dt

    import time_machine

    from ..conftest import VN

    client.force_login(cast.compiler)
    with time_machine.travel(dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN), tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "(còn 2 ngày)" in page and "quá hạn" not in page
    with time_machine.travel(dt.datetime(2025, 11, 5, 8, 0, tzinfo=VN), tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "(đã quá hạn, kỳ chưa được tổng hợp)" in page
