"""Each award department finds the dossier waiting for its step on its home page."""

import pytest
from django.urls import reverse

from awards.models import Dossier

from .conftest import advance

State = Dossier.State


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(("state", "who", "step"), [
    (State.DRAFT, "compiler", "Hoàn thiện và trình hồ sơ khen thưởng Tháng 10/2025"),
    (State.SUBMITTED, "appraiser", "Thẩm định hồ sơ khen thưởng Tháng 10/2025"),
    (State.APPRAISED, "director", "Phê duyệt hồ sơ khen thưởng Tháng 10/2025"),
    (State.APPROVED, "finance", "Chi trả tiền thưởng theo hồ sơ Tháng 10/2025"),
])
def test_the_dossier_waits_on_the_home_page_of_the_role_whose_step_is_next(client, rolled, state, who, step):
    advance(rolled, rolled.dossier, state)
    for name in ("compiler", "appraiser", "director", "finance"):
        page = home(client, getattr(rolled, name))
        assert (step in page) == (name == who), name
    assert reverse("awards:dossier", args=[rolled.dossier.pk]) in home(client, getattr(rolled, who))


def test_a_returned_dossier_waits_for_the_compiler_with_the_appraisers_comment(client, rolled):
    advance(rolled, rolled.dossier, State.RETURNED)
    page = home(client, rolled.compiler)
    assert "Bổ sung và trình lại hồ sơ khen thưởng Tháng 10/2025 bị trả lại" in page
    assert "Ý kiến khi trả lại: Bổ sung thành tích cá nhân" in page


def test_a_paid_dossier_waits_for_nobody(client, rolled):
    advance(rolled, rolled.dossier, State.PAID)
    for name in ("compiler", "appraiser", "director", "finance"):
        assert "hồ sơ khen thưởng Tháng 10/2025" not in home(client, getattr(rolled, name)).replace(
            "Chi trả tiền thưởng theo hồ sơ", "")
