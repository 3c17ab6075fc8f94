from django.urls import reverse

from scoring.engine import ENGINE_READINGS


def test_rules_page_shows_settings_and_every_reading(client, cast):
    client.force_login(cast.staff_a)
    page = client.get(reverse("scoring:rules")).content.decode()
    assert "81 %" in page and "91 %" in page and "100 %" in page
    assert "05/11/2025" in page
    assert "5.000.000" in page and "54.000.000" in page
    assert page.count("Cách hiểu:") >= 3  # the readings of R2, R3, R6
    for reading in ENGINE_READINGS:
        assert reading[:30] in page
