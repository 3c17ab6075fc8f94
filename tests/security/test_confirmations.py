"""Every irreversible step asks first, on the server: a POST without confirm=1 answers with a
page saying what will happen, acts on nothing, and posts the same fields again with confirm=1."""

import re

import pytest
from django.urls import reverse

from awards.models import Dossier
from awards.selectors import unpaid_recipients
from campaign.models import Period, Report
from scoring.models import RollupRun
from scoring.services import period_rollup

from ..awards.conftest import advance, awards_cast, rolled  # noqa: F401  (fixtures)
from ..conftest import report_figures

State = Dossier.State


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


def confirm(client, url, page):
    fields = hidden_fields(page)
    assert fields.pop("confirm") == "1"
    return client.post(url, fields | {"confirm": "1"})


def test_submitting_a_report_asks_first_then_submits_what_was_typed(client, cast):
    client.force_login(cast.staff_a)
    url = reverse("campaign:report_edit", args=[1, "AAA"])
    data = ({k: f"{v:,}".replace(",", ".") for k, v in report_figures().items()}
            | {"submit": "1", "version": "0"})
    page = client.post(url, data).content.decode()
    assert "Xác nhận: gửi báo cáo Tháng 10/2025 của BHXH cơ sở A" in page
    assert "Đơn vị không tự sửa được nữa" in page and "07:00 ngày 05/11/2025" in page
    assert not Report.objects.exists()
    assert confirm(client, url, page).status_code == 302
    report = Report.objects.get()
    assert report.is_submitted and report.revenue == report_figures()["revenue"]


def test_saving_a_draft_needs_no_confirmation(client, cast):
    client.force_login(cast.staff_a)
    data = {k: str(v) for k, v in report_figures().items()} | {"save": "1", "version": "0"}
    assert client.post(reverse("campaign:report_edit", args=[1, "AAA"]), data).status_code == 302


def test_rolling_up_asks_first(client, cast):
    client.force_login(cast.compiler)
    url = reverse("scoring:rollup", args=[1])
    page = client.post(url).content.decode()
    assert "Xác nhận: tổng hợp và khóa sổ Tháng 10/2025" in page
    assert "không nhập hay sửa được báo cáo kỳ này" in page
    assert not RollupRun.objects.exists()
    confirm(client, url, page)
    assert RollupRun.objects.filter(period=cast.period1).count() == 1


def test_reopening_asks_first_and_keeps_the_reason(client, cast):
    period_rollup(period=cast.period1, user=cast.compiler)
    client.force_login(cast.compiler)
    url = reverse("scoring:reopen", args=[1])
    page = client.post(url, {"reason": "Sửa số liệu BBB"}).content.decode()
    assert "Xác nhận: mở lại Tháng 10/2025" in page and "lý do: Sửa số liệu BBB" in page
    assert Period.objects.get(pk=cast.period1.pk).is_locked
    confirm(client, url, page)
    assert not Period.objects.get(pk=cast.period1.pk).is_locked


def test_a_wrong_role_gets_403_not_a_confirmation(client, cast):
    client.force_login(cast.staff_a)
    assert client.post(reverse("scoring:reopen", args=[1]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("scoring:rollup", args=[1])).status_code == 403


def test_approving_asks_first_stating_the_decision_and_the_total(client, rolled):  # noqa: F811
    advance(rolled, rolled.dossier, State.APPRAISED)
    client.force_login(rolled.director)
    url = reverse("awards:transition", args=[rolled.dossier.pk, "approve"])
    page = client.post(url, {"approve-decision_number": "123/QĐ-BHXH",
                             "approve-decision_date": "05/11/2025"}).content.decode()
    assert "Xác nhận: phê duyệt hồ sơ khen thưởng Tháng 10/2025" in page
    assert "quyết định số 123/QĐ-BHXH ngày 05/11/2025" in page and " đồng" in page
    assert Dossier.objects.get(pk=rolled.dossier.pk).state == State.APPRAISED
    confirm(client, url, page)
    assert Dossier.objects.get(pk=rolled.dossier.pk).state == State.APPROVED


def test_paying_asks_first_naming_every_recipient_and_the_total(client, rolled):  # noqa: F811
    advance(rolled, rolled.dossier, State.APPROVED)
    unpaid = unpaid_recipients(rolled.dossier)
    client.force_login(rolled.finance)
    url = reverse("awards:payments_record", args=[rolled.dossier.pk])
    page = client.post(url, {"lines": [r.pk for r in unpaid if r.kind == "line"], "paid_on": "10/11/2025",
                             "voucher": "UNC 45"}).content.decode()
    assert "Xác nhận: ghi nhận chi trả tiền thưởng Tháng 10/2025" in page
    assert "Ghi nhận đã chi 3 tập thể, tổng 10.000.000 đồng, ngày 10/11/2025, chứng từ UNC 45" in page
    assert all(r.name in page for r in unpaid)
    assert "hồ sơ chuyển sang «Đã chi trả»" in page  # no individuals: these are the last
    assert Dossier.objects.get(pk=rolled.dossier.pk).state == State.APPROVED
    repeated = {}  # every ticked box comes back, not only the last of a name
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        repeated.setdefault(name, []).append(value)
    assert len(repeated["lines"]) == 3
    client.post(url, repeated)
    assert Dossier.objects.get(pk=rolled.dossier.pk).state == State.PAID


@pytest.mark.parametrize("step", ["submit", "return"])
def test_steps_that_can_be_undone_by_the_next_role_do_not_ask(client, rolled, step):  # noqa: F811
    if step == "return":
        advance(rolled, rolled.dossier, State.SUBMITTED)
    user = rolled.compiler if step == "submit" else rolled.appraiser
    client.force_login(user)
    response = client.post(reverse("awards:transition", args=[rolled.dossier.pk, step]),
                           {f"{step}-comment": "Bổ sung"})
    assert response.status_code == 302
