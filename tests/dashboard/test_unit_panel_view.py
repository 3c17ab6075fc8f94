from django.urls import reverse


def test_staff_lands_on_their_own_panel(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("dashboard:own_panel"))
    assert response.url == reverse("dashboard:unit_panel", args=["AAA"])


def test_staff_gets_404_for_another_units_panel(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(reverse("dashboard:unit_panel", args=["BBB"])).status_code == 404


def test_managers_see_any_units_panel(client, cast):
    for who in (cast.director, cast.compiler):
        client.force_login(who)
        for unit in (cast.office_a, cast.office_b, cast.office_c):
            response = client.get(reverse("dashboard:unit_panel", args=[unit.code]))
            assert response.status_code == 200
            assert unit.name in response.content.decode()


def test_panel_says_how_many_people_and_dong_are_missing(client, cast, make_report):
    # Health: base 90.000 + ceil(81 % × 10.000) = 98.100; has 95.000 → 3.100 short.
    # Revenue: 81 % × 260.000.000.000 = 210.600.000.000; has 200.000.000.000 → 10.600.000.000 short.
    make_report(cast.period1, cast.office_a, status="draft", health_actual=95_000,
                revenue=200_000_000_000, nonpublic_revenue=50_000_000_000)
    client.force_login(cast.staff_a)
    page = client.get(reverse("dashboard:unit_panel", args=["AAA"])).content.decode()
    assert "Còn thiếu 3.100 người tham gia BHYT để đạt 81 %" in page
    assert "Còn thiếu 10.600.000.000 đồng số thu" in page
    assert "BHXH bắt buộc" in page


def test_panel_invites_a_unit_without_report_to_enter_it(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("dashboard:unit_panel", args=["AAA"])).content.decode()
    assert "chưa nhập báo cáo" in page


def test_panel_shows_rates_with_the_campaigns_places(client, cast, make_report):
    # Health (95.000 − 90.000) / 10.000 = 50 %; revenue 230 / 260 = 88,4615… %.
    cast.campaign.tie_decimals = 2
    cast.campaign.save(update_fields=["tie_decimals"])
    make_report(cast.period1, cast.office_a)
    client.force_login(cast.staff_a)
    page = client.get(reverse("dashboard:unit_panel", args=["AAA"])).content.decode()
    assert "50,00 %" in page and "88,46 %" in page


def test_the_menu_offers_a_units_panel_only_to_units_that_have_one(client, cast):
    panel = reverse("dashboard:own_panel")
    for who, offered in ((cast.staff_a, True), (cast.compiler, True), (cast.director, False),
                         (cast.appraiser, False), (cast.finance, False)):
        client.force_login(who)
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{panel}"' in page) == offered, who.username
        if offered:
            assert client.get(panel).status_code == 302  # to the unit's own panel


def test_a_manager_without_a_panel_is_sent_to_the_dashboard_not_a_404(client, cast):
    client.force_login(cast.director)
    response = client.get(reverse("dashboard:own_panel"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("dashboard:dashboard")
    assert "không gắn với đơn vị báo cáo số liệu" in response.content.decode()
