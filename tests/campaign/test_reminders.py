"""Reminders: staff of units that have not submitted are e-mailed once, REMINDER_DAYS_BEFORE_END
days before the period closes (its roll-up due date, 07:00 on 05/11/2025 for period 1)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from campaign.models import Period, Report
from campaign.reminders import send_report_reminders
from campaign.tasks import remind_unsubmitted_reports
from units.models import Role

from ..conftest import VN, make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staffed(cast, make_report):
    """A submitted (AAA), a draft (BBB), and no report at all (CCC); QLT's own report is in."""
    cast.staff_c = make_user("staff_c", cast.office_c, Role.UNIT_STAFF)
    cast.staff_c2 = make_user("staff_c2", cast.office_c, Role.UNIT_STAFF)
    for user in (cast.staff_a, cast.staff_b, cast.staff_c, cast.staff_c2, cast.compiler):
        user.email = f"{user.username}@example.vn"
        user.save()
    make_report(cast.period1, cast.office_a)
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT)
    make_report(cast.period1, cast.qlt)
    return cast


def sent_to() -> list[list[str]]:
    return sorted(sorted(m.to) for m in mail.outbox)


@override_settings(SITE_URL="https://thidua.example.vn")
def test_units_not_submitted_are_reminded_three_days_before_the_period_closes(staffed):
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 2
    assert sent_to() == [["staff_b@example.vn"], ["staff_c2@example.vn", "staff_c@example.vn"]]
    message = next(m for m in mail.outbox if "staff_b@example.vn" in m.to)
    assert message.subject == "[Thi đua] Nhắc gửi báo cáo Tháng 10/2025"
    assert "BHXH cơ sở B chưa gửi báo cáo" in message.body
    assert "07:00 ngày 05/11/2025 (còn 3 ngày)" in message.body
    assert "https://thidua.example.vn/ky/1/don-vi/BBB/" in message.body


@pytest.mark.parametrize("day", [dt.date(2025, 10, 28), dt.date(2025, 11, 1), dt.date(2025, 11, 3),
                                 dt.date(2025, 11, 5), dt.date(2025, 11, 20)])
def test_no_reminder_on_other_days(staffed, day):
    assert send_report_reminders(today=day) == 0
    assert mail.outbox == []


def test_a_second_run_the_same_day_sends_nothing_more(staffed):
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 2
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 0
    assert len(mail.outbox) == 2


def test_a_locked_period_gets_no_reminder(staffed):
    Period.objects.filter(pk=staffed.period1.pk).update(status=Period.Status.LOCKED)
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 0


def test_no_address_no_mail_and_inactive_accounts_are_skipped(staffed):
    staffed.staff_c.is_active = False
    staffed.staff_c.save()
    staffed.staff_c2.email = ""
    staffed.staff_c2.save()
    send_report_reminders(today=dt.date(2025, 11, 2))
    assert sent_to() == [["staff_b@example.vn"]]


@override_settings(REMINDER_DAYS_BEFORE_END=5)
def test_the_number_of_days_is_a_setting(staffed):
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 0
    assert send_report_reminders(today=dt.date(2025, 10, 31)) == 2


def test_the_task_uses_today_in_vietnam(staffed):
    # 06:30 on 02/11/2025 in Đắk Lắk is still 01/11 in UTC.
    with time_machine.travel(dt.datetime(2025, 11, 2, 6, 30, tzinfo=VN), tick=False):
        assert remind_unsubmitted_reports.delay().get() == 2
    assert len(mail.outbox) == 2


def test_one_unit_that_cannot_be_mailed_does_not_stop_the_others(staffed, monkeypatch):
    from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

    from django.core.mail import EmailMessage

    real_send = EmailMessage.send
    state = {"b": "refused", "c": "down"}

    def send(message, *args, **kwargs):
        if "staff_b@example.vn" in message.to and state["b"] == "refused":
            raise SMTPRecipientsRefused({"staff_b@example.vn": (550, b"no such user")})
        if "staff_c@example.vn" in message.to and state["c"] == "down":
            raise SMTPServerDisconnected("lost")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    with pytest.raises(SMTPServerDisconnected):  # the server went away: the task retries
        send_report_reminders(today=dt.date(2025, 11, 2))
    assert mail.outbox == []  # B refused for good, then C found the server down
    state["b"], state["c"] = "ok", "up"
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 1  # the retry: C only
    assert sent_to() == [["staff_c2@example.vn", "staff_c@example.vn"]]  # B not tried again


def test_the_collection_departments_own_report_is_asked_of_its_compilers(staffed):
    # QLT reports the people and employers it serves directly (R12); its compilers write it.
    Report.objects.filter(unit=staffed.qlt).delete()
    send_report_reminders(today=dt.date(2025, 11, 2))
    to_qlt = [m for m in mail.outbox if "Phòng Quản lý thu chưa gửi báo cáo" in m.body]
    assert [m.to for m in to_qlt] == [["compiler@example.vn"]]
