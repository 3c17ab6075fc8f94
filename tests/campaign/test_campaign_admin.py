"""The campaign in the admin: the prize ladder edited as an inline, amounts typed 6.000.000."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from campaign.models import Campaign


def admin_forms(cast):
    request = RequestFactory().get("/")
    request.user = cast.admin
    model_admin = admin.site._registry[Campaign]
    form = model_admin.get_form(request, cast.campaign)
    inlines = {type(inline).__name__: formset for formset, inline
               in model_admin.get_formsets_with_inlines(request, cast.campaign)}
    return form, inlines


def test_the_campaign_page_edits_its_ladder_with_amounts_as_written(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:campaign_campaign_change", args=[cast.campaign.pk])).content.decode()
    assert "các mức giải" in page.lower()
    assert 'value="Giải Nhất"' in page and 'value="5.000.000"' in page  # the first level's amount
    assert 'value="54.000.000"' in page  # the budget


@pytest.mark.parametrize("typed, whole", [("6.000.000", 6_000_000), ("6000000", 6_000_000), (" 500.000 ", 500_000)])
def test_money_fields_accept_vietnamese_grouping(cast, typed, whole):
    form, inlines = admin_forms(cast)
    assert form.base_fields["budget"].clean(typed) == whole
    assert form.base_fields["individual_amount"].clean(typed) == whole
    assert inlines["PrizeLevelInline"].form.base_fields["amount"].clean(typed) == whole


@pytest.mark.parametrize("typed", ["6.00", "6,000,000", "-1", "6.000.000đ"])
def test_money_fields_refuse_what_is_not_a_whole_amount(cast, typed):
    form, inlines = admin_forms(cast)
    for field in (form.base_fields["budget"], inlines["PrizeLevelInline"].form.base_fields["amount"]):
        with pytest.raises(ValidationError):
            field.clean(typed)
