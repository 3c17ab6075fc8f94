"""Targets are prepared before the campaign launches: the compiler opens the campaign still to
start by its own address (/phong-trao/<mã>/…) and uses the same pages as for the running one,
the template, the import and the form; nothing reaches the running campaign's targets."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from campaign import xlsx
from campaign.definition import load
from campaign.lifecycle import Stage, campaign_stage
from campaign.models import ImportBatch, Target
from campaign.scope import campaign_urls
from campaign.selectors import current_campaign
from campaign.setup import campaign_load

from ..conftest import VN, target_figures
from . import excel_factories as f
from .test_definition import NEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def preparing(cast):
    """TEST2025 running (its December roll-up is still to come), NUOCRUT2030 still to start."""
    with time_machine.travel(dt.datetime(2025, 12, 20, 9, 0, tzinfo=VN), tick=False):
        campaign = campaign_load(definition=load(NEXT)).campaign
        assert campaign_stage(campaign) == Stage.PREPARING
        assert current_campaign() == cast.campaign
        yield campaign


def url(campaign, name, *args):
    with campaign_urls(campaign):
        return reverse(name, args=args)


def test_the_targets_page_of_a_campaign_still_to_start_lists_every_unit_to_prepare(client, cast, preparing):
    client.force_login(cast.compiler)
    page = client.get(url(preparing, "campaign:targets"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Chỉ tiêu giao năm 2030" in text and "31/12/2029" in text  # its own baseline
    assert text.count("Chưa có chỉ tiêu") == 4  # QLT and the three offices
    assert 'href="/phong-trao/NUOCRUT2030/chi-tieu/AAA/"' in text


def test_the_compiler_enters_a_units_target_with_the_form_before_the_launch(client, cast, preparing):
    client.force_login(cast.compiler)
    form = {key: str(value).replace(".", ",") if key.startswith("late") else f"{value:,}".replace(",", ".")
            for key, value in target_figures(revenue_plan=270_000_000_000).items()}
    response = client.post(url(preparing, "campaign:target_edit", "AAA"), form | {"version": "0"})
    assert response.status_code == 302
    target = Target.objects.get(campaign=preparing, unit=cast.office_a)
    assert target.revenue_plan == 270_000_000_000 and target.updated_by == cast.compiler
    assert Target.objects.get(campaign=cast.campaign, unit=cast.office_a).revenue_plan == 260_000_000_000


def test_the_compiler_downloads_the_template_fills_it_and_imports_it_before_the_launch(client, cast, preparing):
    client.force_login(cast.compiler)
    template = b"".join(client.get(url(preparing, "excel:template_targets")).streaming_content)
    sheet = load_workbook(io.BytesIO(template)).active
    headers = [c.value for c in sheet[xlsx.HEADER_ROW] if c.value]
    assert any("31/12/2029" in h for h in headers)  # the new campaign's baseline, not 2024's
    codes = [sheet.cell(row=r, column=1).value for r in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1)]
    assert codes == ["QLT", "AAA", "BBB", "CCC"]
    filled = f.fill(template, {code: f.labelled(xlsx.TARGETS, target_figures()) for code in codes})
    file = io.BytesIO(filled)
    file.name = "chi-tieu-2030.xlsx"
    response = client.post(url(preparing, "excel:upload_targets"), {"file": file})
    batch = ImportBatch.objects.get()
    assert response["Location"] == url(preparing, "excel:preview", batch.pk)
    assert batch.campaign == preparing and batch.status == ImportBatch.Status.PREVIEW
    client.post(url(preparing, "excel:confirm", batch.pk))
    assert Target.objects.filter(campaign=preparing).count() == 4
    assert Target.objects.filter(campaign=cast.campaign).count() == 4  # untouched


def test_the_menu_of_a_campaign_still_to_start_leads_to_its_own_targets(client, cast, preparing):
    client.force_login(cast.compiler)
    home = client.get(url(preparing, "home")).content.decode()
    assert 'href="/phong-trao/NUOCRUT2030/chi-tieu/"' in home
    assert 'href="/phong-trao/NUOCRUT2030/excel/"' in home
