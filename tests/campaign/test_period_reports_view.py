from django.urls import reverse


def test_compiler_sees_every_reporting_unit_with_its_status(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, status="draft")
    client.force_login(cast.compiler)
    page = client.get(reverse("campaign:period_reports", args=[1])).content.decode()
    assert "Đã gửi" in page and "Bản nháp" in page and "Chưa có báo cáo" in page
    assert "Phòng Quản lý thu" in page
    assert "Phòng Tổ chức" not in page  # other departments report no figures (R13)


def test_period_reports_query_count_does_not_grow_with_units(client, cast, make_report, django_assert_max_num_queries):
    from units.models import Unit

    client.force_login(cast.compiler)
    for i in range(30):
        unit = Unit.objects.create(code=f"X{i:02d}", name=f"Office {i}", kind=Unit.Kind.LOCAL_OFFICE)
        make_report(cast.period1, unit)
    # 6 of them count what waits, for the menu; 4 read what the plausibility warnings compare
    # the figures with (the month before, its reports, the targets) and their acknowledgements
    with django_assert_max_num_queries(21):
        assert client.get(reverse("campaign:period_reports", args=[1])).status_code == 200


def test_staff_cannot_open_the_list(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(reverse("campaign:period_reports", args=[1])).status_code == 403


def test_director_cannot_open_the_compilers_list(client, cast):
    client.force_login(cast.director)
    assert client.get(reverse("campaign:period_reports_current")).status_code == 403
