"""Addresses that name their campaign (campaign/scope.py)."""

import pytest
from django.urls import get_script_prefix, reverse

from campaign.models import Campaign
from campaign.scope import CampaignCodeConverter, campaign_path, campaign_urls, short_urls


@pytest.mark.parametrize("code", ["", "abc", "A/B", "A\x00B", "ẠB", "A" * 31, "-AB"])
def test_the_converter_refuses_what_is_not_a_campaign_code(code):
    with pytest.raises(ValueError):
        CampaignCodeConverter().to_url(code)


def test_links_built_inside_a_campaign_name_it_and_nest_no_deeper(db):
    campaign = Campaign(code="NUOCRUT2030")
    with short_urls():
        assert reverse("scoring:ranking", args=[2]) == "/xep-hang/ky/2/"
        with campaign_urls(campaign):
            assert reverse("scoring:ranking", args=[2]) == "/phong-trao/NUOCRUT2030/xep-hang/ky/2/"
            assert campaign_path(Campaign(code="KHAC")) == "/phong-trao/KHAC/"
        assert reverse("scoring:ranking", args=[2]) == "/xep-hang/ky/2/"


def test_a_page_links_inside_its_campaign_and_the_prefix_ends_with_the_request(client, cast):
    client.force_login(cast.compiler)
    with short_urls():
        before = get_script_prefix()
        page = client.get("/phong-trao/TEST2025/xep-hang/ky/1/").content.decode()
        assert get_script_prefix() == before
    assert 'href="/phong-trao/TEST2025/bao-cao/"' in page
    assert 'href="/static/' in page and "/phong-trao/TEST2025/static/" not in page


def test_a_missing_slash_is_added_inside_the_campaign(client, cast):
    client.force_login(cast.staff_a)
    response = client.get("/phong-trao/TEST2025/xep-hang")
    assert response.status_code == 301 and response["Location"] == "/phong-trao/TEST2025/xep-hang/"


def test_logging_in_comes_back_to_the_same_campaign(client, cast):
    response = client.get("/phong-trao/TEST2025/khen-thuong/tong-hop/")
    assert response.status_code == 302
    assert "next=/phong-trao/TEST2025/khen-thuong/tong-hop/" in response["Location"]


def test_a_finished_campaigns_page_says_why_a_write_is_refused(client, cast):
    from campaign.models import Period

    Period.objects.filter(campaign=cast.campaign).update(status=Period.Status.LOCKED)
    client.force_login(cast.compiler)
    url = reverse("scoring:reopen", args=[1])
    response = client.post(url, {"reason": "Xem lại"}, follow=True)
    assert "đã kết thúc" in response.content.decode()
    assert not Period.objects.filter(campaign=cast.campaign, status=Period.Status.OPEN).exists()
