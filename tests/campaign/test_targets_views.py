from django.urls import reverse

from campaign.models import Target


def test_compiler_sees_targets_formatted(client, cast):
    client.force_login(cast.compiler)
    page = client.get(reverse("campaign:targets")).content.decode()
    assert "260.000.000.000" in page and "3,50 %" in page


def test_compiler_edits_a_target_with_vietnamese_number_format(client, cast):
    client.force_login(cast.compiler)
    data = {
        "mandatory_plan": "9.600", "mandatory_base": "8.500", "voluntary_plan": "4.000",
        "voluntary_base": "3.000", "health_plan": "100.000", "health_base": "90.000",
        "revenue_plan": "270.000.000.000", "late_max": "3,5", "late_interest_max": "2",
        "version": str(Target.objects.get(unit=cast.office_a).version),
    }
    response = client.post(reverse("campaign:target_edit", args=["AAA"]), data)
    assert response.status_code == 302
    target = Target.objects.get(unit=cast.office_a)
    assert target.mandatory_plan == 9_600 and target.revenue_plan == 270_000_000_000


def test_percent_over_100_is_refused(client, cast):
    client.force_login(cast.compiler)
    data = {
        "mandatory_plan": "1", "mandatory_base": "1", "voluntary_plan": "1", "voluntary_base": "1",
        "health_plan": "1", "health_base": "1", "revenue_plan": "1", "late_max": "150", "late_interest_max": "2",
    }
    response = client.post(reverse("campaign:target_edit", args=["AAA"]), data)
    assert response.status_code == 200
    assert "0–100" in response.content.decode()
    assert Target.objects.get(unit=cast.office_a).mandatory_plan == 9_500


def test_a_ceiling_is_read_from_ascii_digits_only(client, cast):
    # Decimal() alone takes "3_5" as 35 and other scripts' digits as ours.
    client.force_login(cast.compiler)
    base = {
        "mandatory_plan": "1", "mandatory_base": "1", "voluntary_plan": "1", "voluntary_base": "1",
        "health_plan": "1", "health_base": "1", "revenue_plan": "1", "late_interest_max": "2",
    }
    for typed in ("3_5", "٣,٥", "３,５"):
        response = client.post(reverse("campaign:target_edit", args=["AAA"]), base | {"late_max": typed})
        assert response.status_code == 200, typed
    assert Target.objects.get(unit=cast.office_a).mandatory_plan == 9_500


def test_staff_cannot_edit_targets(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(reverse("campaign:targets")).status_code == 403
    assert client.post(reverse("campaign:target_edit", args=["AAA"]), {}).status_code == 403


def test_years_print_without_a_thousands_separator(client, cast):
    client.force_login(cast.compiler)
    page = client.get(reverse("campaign:targets")).content.decode()
    assert "năm 2025" in page and "2.025" not in page


def test_the_targets_page_and_form_print_the_campaigns_baseline_date(client, cast):
    import datetime as dt

    from campaign.models import Campaign

    Campaign.objects.filter(pk=cast.campaign.pk).update(baseline_date=dt.date(2030, 6, 30))
    client.force_login(cast.compiler)
    assert client.get(reverse("campaign:targets")).content.decode().count(">30/06/2030</th>") == 3
    form = client.get(reverse("campaign:target_edit", args=["AAA"])).content.decode()
    assert "BHXH bắt buộc ngày chốt 30/06/2030" in form and "BHYT ngày chốt 30/06/2030" in form
