"""When the compiler returns a report, the unit's staff get one e-mail with the reason and the
link; a retry after a mail failure sends it, a repeated task does not send it twice, and the
compiler who returned it is not mailed."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import override_settings

from campaign import services
from campaign.models import ReportEvent, ReportReturnNotice
from campaign.notices import send_return_notice
from units.models import Role

from ..conftest import make_user


@pytest.fixture
def submitted(cast, make_report):
    cast.staff_a2 = make_user("staff_a2", cast.office_a, Role.UNIT_STAFF)
    for user in (cast.staff_a, cast.staff_a2, cast.staff_b, cast.compiler):
        user.email = f"{user.username}@example.vn"
        user.save()
    cast.report = make_report(cast.period1, cast.office_a)
    return cast


def return_report(cast, report, captured):
    with captured(execute=True):
        services.report_return(user=cast.compiler, report=report, reason="Số thu chưa khớp sổ")
    return ReportEvent.objects.get(report=report, action=ReportEvent.Action.RETURNED)


@override_settings(SITE_URL="https://thidua.example.vn")
def test_the_units_staff_are_mailed_the_reason_and_the_link(submitted, django_capture_on_commit_callbacks):
    return_report(submitted, submitted.report, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["staff_a2@example.vn", "staff_a@example.vn"]
    assert message.subject == "[Thi đua] Báo cáo Tháng 10/2025 bị trả lại"
    assert "Lý do: Số thu chưa khớp sổ" in message.body
    assert "https://thidua.example.vn/phong-trao/TEST2025/ky/1/don-vi/AAA/" in message.body
    assert "07:00 ngày 05/11/2025" in message.body


def test_a_repeated_task_sends_nothing_more(submitted, django_capture_on_commit_callbacks):
    event = return_report(submitted, submitted.report, django_capture_on_commit_callbacks)
    assert send_return_notice(event.pk) is False
    assert len(mail.outbox) == 1 and ReportReturnNotice.objects.count() == 1


def test_nothing_is_sent_if_the_return_is_rolled_back(submitted, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.report_return(user=submitted.compiler, report=submitted.report, reason="x")
            transaction.set_rollback(True)
    assert mail.outbox == []


def test_a_mail_server_down_gives_the_notice_back_and_the_tasks_retry_sends_it(submitted, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    real_send = EmailMessage.send
    calls = []

    def send(message, *args, **kwargs):
        calls.append(message)
        if len(calls) == 1:
            raise SMTPServerDisconnected("down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    event = return_report(submitted, submitted.report, django_capture_on_commit_callbacks)
    assert len(calls) == 2  # the first refused, the task's retry (eager here) sent it
    assert len(mail.outbox) == 1 and ReportReturnNotice.objects.get().event == event


def test_addresses_refused_for_good_are_recorded_and_not_tried_again(submitted, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    def send(message, *args, **kwargs):
        raise SMTPRecipientsRefused({a: (550, b"no such user") for a in message.to})

    monkeypatch.setattr(EmailMessage, "send", send)
    event = return_report(submitted, submitted.report, django_capture_on_commit_callbacks)
    assert ReportReturnNotice.objects.get(event=event).refused
    assert send_return_notice(event.pk) is False


def test_the_compiler_who_returns_the_collection_departments_report_is_not_mailed(
        submitted, make_report, django_capture_on_commit_callbacks):
    other = make_user("compiler2", submitted.qlt, Role.COMPILER)
    other.email = "compiler2@example.vn"
    other.save()
    report = make_report(submitted.period1, submitted.qlt)
    return_report(submitted, report, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["compiler2@example.vn"]]
