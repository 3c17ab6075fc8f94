"""The campaign summary page and its .xlsx: decided awards, open to every login."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Dossier

from .conftest import advance, full_dossier


@pytest.fixture
def decided(rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    return rolled


@pytest.mark.parametrize("who", ["staff_a", "compiler", "appraiser", "director", "finance", "admin"])
def test_every_login_sees_the_summary(client, decided, who):
    client.force_login(getattr(decided, who))
    response = client.get(reverse("awards:summary"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BHXH cơ sở A" in body and "6.500.000" in body and "18.000.000" in body
    assert decided.people["AAA"][0].full_name in body


def test_summary_downloads_as_xlsx(client, decided):
    client.force_login(decided.finance)
    response = client.get(reverse("awards:summary_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Các tháng", "Theo đơn vị", "Kết quả từng tháng", "Tập thể", "Cá nhân"]


def test_anonymous_is_sent_to_login(client, decided):
    assert client.get(reverse("awards:summary")).status_code == 302
