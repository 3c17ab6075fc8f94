"""The admin speaks Vietnamese whatever the browser's language, prints years as years, and
takes amounts typed as Vietnamese write them."""

from django.urls import reverse

from campaign.models import Campaign, Target

EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_the_admin_is_vietnamese_for_a_browser_set_to_english(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:index"), **EN).content.decode()
    assert "Bỏ qua, đến nội dung chính" in page and "Skip to main content" not in page
    page = client.post(reverse("admin:campaign_campaign_change", args=[cast.campaign.pk]),
                       {"code": ""}, **EN).content.decode()
    assert "Please correct the error" not in page and "Hãy sửa" in page


def test_a_campaigns_year_is_listed_without_a_thousands_dot(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:campaign_campaign_changelist")).content.decode()
    assert ">2025<" in page and "2.025" not in page


def test_a_target_takes_amounts_and_counts_typed_with_dots(client, cast):
    client.force_login(cast.admin)
    target = Target.objects.get(campaign=cast.campaign, unit=cast.office_a)
    url = reverse("admin:campaign_target_change", args=[target.pk])
    page = client.get(url).content.decode()
    assert 'value="260.000.000.000"' in page  # shown as typed
    data = {
        "campaign": cast.campaign.pk, "unit": cast.office_a.pk,
        "mandatory_plan": "9.600", "mandatory_base": "8.500", "voluntary_plan": "4.000",
        "voluntary_base": "3.000", "health_plan": "100.000", "health_base": "90.000",
        "revenue_plan": "6.000.000", "late_max": "3,5", "late_interest_max": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.revenue_plan == 6_000_000 and target.mandatory_plan == 9_600
    assert Campaign.objects.get().year == 2025
