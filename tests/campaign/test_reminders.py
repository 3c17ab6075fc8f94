"""Reminders: staff of units that have not submitted are e-mailed once per period, on the first
run from REMINDER_DAYS_BEFORE_END days before the period closes (its roll-up due date, 07:00 on
05/11/2025 for period 1) that can reach them."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from campaign.models import Period, Report, ReportReminder
from campaign.reminders import send_report_reminders
from campaign.tasks import remind_unsubmitted_reports
from units.models import Role

from ..conftest import VN, make_user


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
    assert "https://thidua.example.vn/phong-trao/TEST2025/ky/1/don-vi/BBB/" in message.body


@pytest.mark.parametrize("day", [dt.date(2025, 10, 28), dt.date(2025, 11, 1),
                                 dt.date(2025, 11, 5), dt.date(2025, 11, 20)])
def test_no_reminder_outside_the_days_before_the_rollup(staffed, day):
    assert send_report_reminders(today=day) == 0
    assert mail.outbox == []
    assert not ReportReminder.objects.exists()


def test_a_second_run_the_same_day_or_later_sends_nothing_more(staffed):
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 2
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 0
    assert send_report_reminders(today=dt.date(2025, 11, 4)) == 0
    assert len(mail.outbox) == 2
    assert sorted(ReportReminder.objects.values_list("unit__code", flat=True)) == ["BBB", "CCC"]


def test_a_run_missed_on_the_first_day_reminds_the_next_day_with_the_days_left(staffed):
    assert send_report_reminders(today=dt.date(2025, 11, 4)) == 2
    message = next(m for m in mail.outbox if "staff_b@example.vn" in m.to)
    assert "07:00 ngày 05/11/2025 (còn 1 ngày)" in message.body


def test_a_unit_that_was_reminded_is_not_reminded_again_but_a_new_one_is(staffed, make_report):
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 2
    Report.objects.filter(unit=staffed.office_a).update(status=Report.Status.DRAFT)  # returned
    mail.outbox.clear()
    assert send_report_reminders(today=dt.date(2025, 11, 3)) == 1
    assert sent_to() == [["staff_a@example.vn"]]


def test_a_concurrent_run_that_claimed_the_unit_first_keeps_it(staffed, monkeypatch):
    from campaign import reminders

    real_addresses = reminders.unit_staff_addresses

    def addresses_then_claimed_elsewhere(units):
        # After this run listed BBB, another worker takes BBB's reminder.
        ReportReminder.objects.create(period=staffed.period1, unit=staffed.office_b,
                                      recipients="staff_b@example.vn")
        return real_addresses(units)

    monkeypatch.setattr(reminders, "unit_staff_addresses", addresses_then_claimed_elsewhere)
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 1
    assert sent_to() == [["staff_c2@example.vn", "staff_c@example.vn"]]


def test_an_address_refused_for_now_is_tried_again(staffed, monkeypatch):
    from smtplib import SMTPRecipientsRefused

    from django.core.mail import EmailMessage

    real_send = EmailMessage.send
    greylisted = {"now": True}

    def send(message, *args, **kwargs):
        if "staff_b@example.vn" in message.to and greylisted["now"]:
            raise SMTPRecipientsRefused({"staff_b@example.vn": (451, b"greylisted, try later")})
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    with pytest.raises(SMTPRecipientsRefused):  # raised after the others, so the task retries
        send_report_reminders(today=dt.date(2025, 11, 2))
    assert sent_to() == [["staff_c2@example.vn", "staff_c@example.vn"]]
    assert list(ReportReminder.objects.values_list("unit__code", flat=True)) == ["CCC"]
    greylisted["now"] = False
    assert send_report_reminders(today=dt.date(2025, 11, 3)) == 1
    assert ["staff_b@example.vn"] in sent_to()


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
    assert send_report_reminders(today=dt.date(2025, 10, 30)) == 0
    assert send_report_reminders(today=dt.date(2025, 10, 31)) == 2
    assert "(còn 5 ngày)" in mail.outbox[0].body


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
    assert list(ReportReminder.objects.values_list("unit__code", "refused")) == [("BBB", True)]
    state["b"], state["c"] = "ok", "up"
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 1  # the retry: C only
    assert sent_to() == [["staff_c2@example.vn", "staff_c@example.vn"]]  # B not tried again
    assert send_report_reminders(today=dt.date(2025, 11, 3)) == 0  # nor the next day


def test_a_mail_server_down_all_day_delays_the_reminder_to_the_next_day(staffed, monkeypatch):
    from smtplib import SMTPServerDisconnected

    from django.core.mail import EmailMessage

    real_send = EmailMessage.send
    down = {"now": True}

    def send(message, *args, **kwargs):
        if down["now"]:
            raise SMTPServerDisconnected("lost")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send)
    for _retry in range(3):  # every retry of 02/11 finds the server down
        with pytest.raises(SMTPServerDisconnected):
            send_report_reminders(today=dt.date(2025, 11, 2))
    assert not ReportReminder.objects.exists()  # nothing claimed for good
    down["now"] = False
    assert send_report_reminders(today=dt.date(2025, 11, 3)) == 2
    assert "(còn 2 ngày)" in mail.outbox[0].body


def test_the_collection_departments_own_report_is_asked_of_its_compilers(staffed):
    # QLT reports the people and employers it serves directly (R12); its compilers write it.
    Report.objects.filter(unit=staffed.qlt).delete()
    send_report_reminders(today=dt.date(2025, 11, 2))
    to_qlt = [m for m in mail.outbox if "Phòng Quản lý thu chưa gửi báo cáo" in m.body]
    assert [m.to for m in to_qlt] == [["compiler@example.vn"]]


def test_the_admin_lists_who_was_reminded_and_cannot_change_it(client, staffed):
    from django.urls import reverse

    send_report_reminders(today=dt.date(2025, 11, 2))
    client.force_login(staffed.admin)
    page = client.get(reverse("admin:campaign_reportreminder_changelist"))
    assert page.status_code == 200
    assert "staff_c2@example.vn, staff_c@example.vn" in page.content.decode()
    reminder = ReportReminder.objects.get(unit=staffed.office_b)
    delete = client.post(reverse("admin:campaign_reportreminder_delete", args=[reminder.pk]),
                         {"post": "yes"})
    assert delete.status_code == 403 and ReportReminder.objects.count() == 2


def test_only_the_campaign_the_pages_serve_sends_reminders(staffed):
    # A campaign set up ahead of its launch, with a month closing on 05/11 too: its staff could
    # not report through the link yet, so they are not reminded.
    from decimal import Decimal

    from campaign.models import Campaign

    ahead = Campaign.objects.create(code="NEXT", name="Chuẩn bị", year=2026,
                                    launch_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 3, 31))
    Period.objects.create(
        campaign=ahead, number=1, name="Tháng thử", first_day=dt.date(2025, 10, 1),
        last_day=dt.date(2025, 10, 31), participant_threshold=Decimal("81"),
        revenue_threshold=Decimal("81"), rollup_due_at=staffed.period1.rollup_due_at,
    )
    with time_machine.travel(dt.datetime(2025, 11, 2, 9, 0, tzinfo=VN), tick=False):
        assert send_report_reminders() == 2
    assert {m.subject for m in mail.outbox} == {"[Thi đua] Nhắc gửi báo cáo Tháng 10/2025"}


def test_a_campaign_still_to_start_sends_no_reminder_even_when_it_is_the_only_one(staffed):
    # Its dates set oddly: a month whose roll-up is due before the launch. Nothing was reported
    # yet, so nobody is reminded.
    from campaign.models import Campaign

    Campaign.objects.filter(pk=staffed.campaign.pk).update(launch_date=dt.date(2025, 11, 10))
    assert send_report_reminders(today=dt.date(2025, 11, 2)) == 0
    assert mail.outbox == [] and not ReportReminder.objects.exists()


def test_a_finished_campaign_sends_no_reminder_and_neither_does_the_next_still_to_start(staffed):
    from decimal import Decimal

    from campaign.lifecycle import Stage, campaign_stage
    from campaign.models import Campaign

    Period.objects.filter(campaign=staffed.campaign).update(status=Period.Status.LOCKED)
    ahead = Campaign.objects.create(code="NEXT", name="Chuẩn bị", year=2026,
                                    launch_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 12, 31))
    Period.objects.create(
        campaign=ahead, number=1, name="Tháng thử", first_day=dt.date(2026, 10, 1),
        last_day=dt.date(2026, 10, 31), participant_threshold=Decimal("81"),
        revenue_threshold=Decimal("81"), rollup_due_at=dt.datetime(2026, 1, 5, 7, 0, tzinfo=VN),
    )
    today = dt.date(2026, 1, 3)
    assert campaign_stage(staffed.campaign, today=today) == Stage.FINISHED
    assert campaign_stage(ahead, today=today) == Stage.PREPARING
    assert send_report_reminders(today=today) == 0
    assert mail.outbox == []
