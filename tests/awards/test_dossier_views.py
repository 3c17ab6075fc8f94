"""The dossier pages: who may open them, and the compiler's and reviewers' buttons."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Dossier, Individual
from awards.selectors import unpaid_recipients
from scoring.models import Nomination

from ..conftest import set_level
from .conftest import advance, full_dossier, line_of

State = Dossier.State
READERS = ["compiler", "appraiser", "director", "finance", "admin"]


def page(client, user, dossier):
    client.force_login(user)
    return client.get(reverse("awards:dossier", args=[dossier.pk]))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("who", READERS)
def test_the_award_departments_read_the_dossier(client, rolled, who):
    response = page(client, getattr(rolled, who), rolled.dossier)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hồ sơ đề nghị khen thưởng Tháng 10/2025" in body and "BHXH cơ sở A" in body


@pytest.mark.parametrize("name", ["awards:dossier", "awards:memo_pdf", "awards:decision_pdf", "awards:award_list_xlsx"])
def test_unit_staff_get_403_on_dossier_pages(client, rolled, name):
    client.force_login(rolled.staff_a)
    assert client.get(reverse(name, args=[rolled.dossier.pk])).status_code == 403


@pytest.mark.parametrize("name", ["awards:dossiers", "awards:budget"])
def test_unit_staff_get_403_on_lists_and_budget(client, rolled, name):
    client.force_login(rolled.staff_a)
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client, rolled):
    response = client.get(reverse("awards:dossier", args=[rolled.dossier.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_list_shows_every_dossier_of_the_campaign(client, rolled):
    client.force_login(rolled.finance)
    body = client.get(reverse("awards:dossiers")).content.decode()
    assert "Tháng 10/2025" in body and "Dự thảo" in body and "10.000.000" in body


def test_the_compiler_sees_the_editing_forms_and_others_do_not(client, rolled):
    body = page(client, rolled.compiler, rolled.dossier).content.decode()
    assert "Đề nghị khen thưởng phòng nghiệp vụ" in body and "Thêm cá nhân" in body and "Trình thẩm định" in body
    body = page(client, rolled.appraiser, rolled.dossier).content.decode()
    assert "Đề nghị khen thưởng phòng nghiệp vụ" not in body and "Thêm cá nhân" not in body
    assert "Trình thẩm định" not in body


def test_the_appraiser_sees_return_and_appraise_once_submitted(client, rolled):
    advance(rolled, rolled.dossier, State.SUBMITTED)
    body = page(client, rolled.appraiser, rolled.dossier).content.decode()
    assert "Trả lại" in body and "Thẩm định" in body and "Ngày họp Hội đồng" in body


def test_compiler_nominates_from_the_page(client, rolled):
    client.force_login(rolled.compiler)
    response = client.post(reverse("awards:nominate", args=[rolled.dossier.pk]),
                           {"unit": rolled.tchc.pk, "reason": "Tham mưu kịp thời"}, follow=True)
    assert "Đã đề nghị Phòng Tổ chức - Hành chính." in messages_of(response)
    assert Nomination.objects.get().reason == "Tham mưu kịp thời"
    assert line_of(rolled.dossier, "TCHC").prize == "third"


def test_other_roles_get_403_when_posting_changes(client, rolled):
    client.force_login(rolled.appraiser)
    response = client.post(reverse("awards:nominate", args=[rolled.dossier.pk]),
                           {"unit": rolled.tchc.pk, "reason": "x"})
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_a_person_of_another_unit_is_refused_on_the_page_with_the_reason(client, rolled):
    client.force_login(rolled.compiler)
    outsider = rolled.people["BBB"][0]
    response = client.post(
        reverse("awards:individual_add", args=[rolled.dossier.pk, line_of(rolled.dossier, "AAA").pk]),
        {"person": outsider.pk, "achievement": "Thu nợ đọng"}, follow=True,
    )
    assert any("không thuộc BHXH cơ sở A" in m for m in messages_of(response))
    assert not Individual.objects.exists()


def test_drop_and_restore_from_the_page(client, rolled):
    client.force_login(rolled.compiler)
    url = reverse("awards:candidate_drop", args=[rolled.dossier.pk])
    client.post(url, {"unit": "AAA", "reason": "Chờ xác minh"})
    assert line_of(rolled.dossier, "BBB").prize == "first"
    client.post(reverse("awards:candidate_restore", args=[rolled.dossier.pk]), {"unit": "AAA", "reason": "Đã rõ"})
    assert line_of(rolled.dossier, "AAA").prize == "first"


def test_dropping_a_unit_with_nominees_says_who_went_with_it(client, rolled):
    full_dossier(rolled)
    client.force_login(rolled.compiler)
    body = page(client, rolled.compiler, rolled.dossier).content.decode()
    assert "Bỏ đơn vị sẽ bỏ kèm 3 cá nhân đã được đề nghị" in body  # AAA, before it is dropped
    response = client.post(reverse("awards:candidate_drop", args=[rolled.dossier.pk]),
                           {"unit": "KHTC", "reason": "Rút đề nghị"}, follow=True)
    shown = messages_of(response)
    assert "Đã bỏ Phòng Kế hoạch - Tài chính khỏi danh sách đề nghị." in shown
    assert any(m.startswith("Kèm theo đó đã bỏ 1 cá nhân được đề nghị") for m in shown)


def test_move_a_nomination_up(client, rolled):
    client.force_login(rolled.compiler)
    for unit in (rolled.tchc, rolled.khtc):
        client.post(reverse("awards:nominate", args=[rolled.dossier.pk]), {"unit": unit.pk, "reason": "Tốt"})
    khtc = Nomination.objects.get(unit=rolled.khtc)
    client.post(reverse("awards:nomination_move", args=[rolled.dossier.pk, khtc.pk]),
                {"direction": "up", "reason": "Ưu tiên KHTC"})
    assert list(Nomination.objects.order_by("order").values_list("unit__code", flat=True)) == ["KHTC", "TCHC"]


def test_the_whole_workflow_through_the_pages(client, rolled):
    full_dossier(rolled)
    pk = rolled.dossier.pk

    def post(user, action, data):
        client.force_login(user)
        return client.post(reverse("awards:transition", args=[pk, action]),
                           {f"{action}-{k}": v for k, v in data.items()} | {"confirm": "1"}, follow=True)

    post(rolled.compiler, "submit", {"comment": ""})
    response = post(rolled.appraiser, "return", {"comment": ""})
    assert Dossier.objects.get(pk=pk).state == State.SUBMITTED  # a return needs comments
    assert any("Ý kiến" in m for m in messages_of(response))
    post(rolled.appraiser, "return", {"comment": "Bổ sung thành tích"})
    assert Dossier.objects.get(pk=pk).state == State.RETURNED
    post(rolled.compiler, "submit", {"comment": "Đã bổ sung"})
    post(rolled.appraiser, "appraise", {"council_date": "2025-11-04", "council_minutes": "05/BB-HĐTĐKT",
                                        "comment": ""})
    response = post(rolled.director, "approve", {"decision_number": "123/QĐ-BHXH", "decision_date": "05/11/2025",
                                                 "comment": ""})
    assert "Đã phê duyệt hồ sơ khen thưởng." in messages_of(response)
    unpaid = unpaid_recipients(Dossier.objects.get(pk=pk))
    client.force_login(rolled.finance)
    response = client.post(reverse("awards:payments_record", args=[pk]), {
        "lines": [r.pk for r in unpaid if r.kind == "line"],
        "individuals": [r.pk for r in unpaid if r.kind == "individual"],
        "paid_on": "10/11/2025", "voucher": "UNC 45", "comment": "", "confirm": "1"}, follow=True)
    assert "Đã ghi nhận chi trả." in messages_of(response)
    dossier = Dossier.objects.get(pk=pk)
    assert dossier.state == State.PAID and str(dossier.decision_date) == "2025-11-05"


def test_dates_are_typed_day_first_whatever_the_browsers_language(client, rolled):
    advance(rolled, rolled.dossier, State.APPRAISED)
    body = page(client, rolled.director, rolled.dossier).content.decode()
    field = re.search(r'<input[^>]*name="approve-decision_date"[^>]*>', body).group(0)
    assert 'type="text"' in field and 'placeholder="ngày/tháng/năm"' in field
    client.post(reverse("awards:transition", args=[rolled.dossier.pk, "approve"]),
                {"approve-decision_number": "123/QĐ-BHXH", "approve-decision_date": "05/11/2025",
                 "confirm": "1"})
    dossier = Dossier.objects.get(pk=rolled.dossier.pk)
    assert dossier.state == State.APPROVED and str(dossier.decision_date) == "2025-11-05"


@pytest.mark.parametrize(("typed", "message"), [
    ("2025/11/05", "ngày/tháng/năm (dd/mm/yyyy)"),
    ("5.11.2025", "ngày/tháng/năm (dd/mm/yyyy)"),
    ("05/11", "ngày/tháng/năm (dd/mm/yyyy)"),
    ("31/11/2025", "Không có ngày 31/11/2025 trong lịch."),
    ("29/02/2025", "Không có ngày 29/02/2025 trong lịch."),
])
def test_a_date_not_written_day_month_year_is_refused_in_vietnamese(client, rolled, typed, message):
    advance(rolled, rolled.dossier, State.APPRAISED)
    client.force_login(rolled.director)
    response = client.post(reverse("awards:transition", args=[rolled.dossier.pk, "approve"]),
                           {"approve-decision_number": "123/QĐ-BHXH", "approve-decision_date": typed},
                           follow=True)
    assert any(message in m for m in messages_of(response))
    assert Dossier.objects.get(pk=rolled.dossier.pk).state == State.APPRAISED


def test_an_error_that_names_its_field_is_not_prefixed_with_the_label_again(client, rolled):
    advance(rolled, rolled.dossier, State.APPRAISED)
    client.force_login(rolled.director)
    response = client.post(reverse("awards:transition", args=[rolled.dossier.pk, "approve"]),
                           {"approve-decision_number": "abc", "approve-decision_date": "05/11/2025"},
                           follow=True)
    assert "Số quyết định «abc» không đúng dạng số/ký hiệu, ví dụ 123/QĐ-BHXH." in messages_of(response)


def test_a_wrong_role_gets_403_and_a_wrong_state_a_message(client, rolled):
    pk = rolled.dossier.pk
    client.force_login(rolled.appraiser)
    assert client.post(reverse("awards:transition", args=[pk, "submit"]), {}).status_code == 403
    client.force_login(rolled.director)
    response = client.post(reverse("awards:transition", args=[pk, "approve"]),
                           {"approve-decision_number": "123/QĐ-BHXH", "approve-decision_date": "2025-11-05",
                            "confirm": "1"},
                           follow=True)
    assert response.status_code == 200
    assert any("Không thể phê duyệt" in m for m in messages_of(response))
    assert Dossier.objects.get(pk=pk).state == State.DRAFT


def test_pressing_submit_twice_gives_one_transition(client, rolled):
    client.force_login(rolled.compiler)
    url = reverse("awards:transition", args=[rolled.dossier.pk, "submit"])
    client.post(url, {"submit-comment": ""})
    response = client.post(url, {"submit-comment": ""}, follow=True)
    assert any("Không thể trình thẩm định" in m for m in messages_of(response))
    assert rolled.dossier.events.filter(action="submitted").count() == 1


def test_unknown_action_is_404(client, rolled):
    client.force_login(rolled.compiler)
    assert client.post(reverse("awards:transition", args=[rolled.dossier.pk, "delete"])).status_code == 404


@pytest.mark.parametrize(("name", "content_type"), [
    ("awards:memo_pdf", "application/pdf"),
    ("awards:decision_pdf", "application/pdf"),
    ("awards:award_list_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
@pytest.mark.parametrize("state", [State.DRAFT, State.APPRAISED, State.PAID])
def test_documents_download_at_every_state(client, rolled, name, content_type, state):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, state)
    client.force_login(rolled.director)
    response = client.get(reverse(name, args=[rolled.dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]


def test_dossier_page_queries_do_not_grow_with_lines(client, rolled):
    def queries():
        page(client, rolled.compiler, rolled.dossier)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert page(client, rolled.compiler, rolled.dossier).status_code == 200
        return len(captured)

    three_lines = queries()
    full_dossier(rolled)  # five lines, eight individuals, two nominations, change log
    assert queries() == three_lines <= 36  # login and the menu's count of what waits included


def test_the_dossier_page_never_reads_the_snapshots_stored_inputs(client, rolled):
    client.force_login(rolled.compiler)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("awards:dossier", args=[rolled.dossier.pk])).status_code == 200
    assert not any('"scoring_snapshot"."inputs"' in q["sql"] for q in queries)


def test_the_page_states_the_prize_ladder_the_roll_up_used(client, awards_cast):
    from scoring.services import period_rollup

    set_level(awards_cast.campaign, "third", count=1)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    dossier = Dossier.objects.get(period=awards_cast.period1)
    client.force_login(awards_cast.compiler)
    page = client.get(reverse("awards:dossier", args=[dossier.pk])).content.decode()
    assert "các giải đi lần lượt Nhất, Nhì, Ba (tối đa 3)" in page
