"""Reminders to units whose report is not submitted, a few days before the period closes.

"Before the period closes" counts to the period's roll-up due date (Period.rollup_due_at, by
default 07:00 on the 5th of the next month): figures are cumulative to the month's last day,
so units enter them in the days after it, and the roll-up is what closes the period to them.
A reminder before the month's last day would reach every unit, diligent or not.

Once per unit per period, and not lost to a bad morning: from REMINDER_DAYS_BEFORE_END days
before the due date until the day before it, each daily run (beat, 08:00) reminds the units
without a submitted report that have not been reminded yet. A ReportReminder row, unique per
period and unit, is claimed before the e-mail goes out and given back if it could not be
sent, so a retry, a redelivered message or a concurrent run does not send it again, and a mail
server down for a whole day delays the reminder to the next day rather than losing it. Two
edges remain: a worker killed between the claim and the send loses that one reminder, and a
connection lost after the server took the message (but before it said so) sends it again.

Runs in autocommit, as the Celery task does: each claim commits on its own. Inside an outer
transaction, a failure that stops the run would roll back the claims of the units already
e-mailed.
"""

import datetime as dt
import logging
from smtplib import SMTPConnectError, SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from units.mail import mail_sender, mail_subject
from units.models import Person, Role, Unit

from .lifecycle import Stage, campaign_stage
from .models import Period, Report, ReportReminder
from .scope import campaign_urls
from .selectors import current_campaign, days_to_rollup, reporting_units

logger = logging.getLogger(__name__)


def reminder_periods(*, today: dt.date) -> list[Period]:
    """Open periods of the campaign being run whose roll-up is due in 1 to
    REMINDER_DAYS_BEFORE_END days. Only the campaign the pages serve (`current_campaign`), and
    only while it runs: a campaign still to start (served when no other has launched, or a
    definition whose dates were set oddly) has nothing to report yet, and a finished one
    nothing left to report."""
    campaign = current_campaign()
    if campaign is None or campaign_stage(campaign, today=today) != Stage.RUNNING:
        return []
    periods = campaign.periods.filter(status=Period.Status.OPEN).select_related("campaign")
    return [p for p in periods if 0 < days_to_rollup(p, today) <= settings.REMINDER_DAYS_BEFORE_END]


def units_to_remind(period: Period) -> list[Unit]:
    """Reporting units with no submitted report for the period and no reminder about it yet."""
    submitted = Report.objects.filter(period=period, status=Report.Status.SUBMITTED).values("unit_id")
    reminded = ReportReminder.objects.filter(period=period).values("unit_id")
    return list(reporting_units().exclude(pk__in=submitted).exclude(pk__in=reminded))


def unit_staff_addresses(units: list[Unit]) -> dict[int, list[str]]:
    """E-mail addresses of the accounts that write each unit's report: its active staff (role
    unit_staff); for the collection department, whose own report the compilers write, its
    compilers too."""
    writers = Q(user__groups__name=Role.UNIT_STAFF) | Q(
        unit__is_collection_department=True, user__groups__name=Role.COMPILER)
    people = (
        Person.objects.filter(writers, unit__in=units, active=True, user__is_active=True)
        .exclude(user__email="").select_related("user").order_by("unit_id", "user__email").distinct()
    )
    addresses: dict[int, list[str]] = {}
    for person in people:
        addresses.setdefault(person.unit_id, []).append(person.user.email)
    return addresses


def _message(period: Period, unit: Unit, to: list[str], today: dt.date) -> EmailMessage:
    due = timezone.localtime(period.rollup_due_at)
    with campaign_urls(period.campaign):
        link = settings.SITE_URL.rstrip("/") + reverse(
            "campaign:report_edit", kwargs={"number": period.number, "unit_code": unit.code},
        )
    body = (
        f"{unit.name} chưa gửi báo cáo kết quả thi đua {period.name} "
        f"(số liệu lũy kế đến hết ngày {period.last_day:%d/%m/%Y}).\n\n"
        f"Kỳ được tổng hợp và khóa sổ lúc {due:%H:%M} ngày {due:%d/%m/%Y} "
        f"(còn {days_to_rollup(period, today)} ngày). Báo cáo chưa gửi khi đó không được "
        "xếp hạng.\n\n"
        f"Nhập và gửi báo cáo: {link}\n"
    )
    return EmailMessage(mail_subject(f"Nhắc gửi báo cáo {period.name}"), body, mail_sender(), to)


def refused_for_good(error: SMTPRecipientsRefused) -> bool:
    """Every address refused with a permanent (5xx) code; a 4xx is worth trying again."""
    return all(500 <= code < 600 for code, _message in error.recipients.values())


def _claim(period: Period, unit: Unit, to: list[str]) -> ReportReminder | None:
    """The unit's reminder row for the period, or None if another run has it already."""
    try:
        with transaction.atomic():
            return ReportReminder.objects.create(period=period, unit=unit, recipients=", ".join(to))
    except IntegrityError:
        return None


def send_report_reminders(*, today: dt.date | None = None) -> int:
    """E-mail the staff of each unit whose report for a period closing within
    REMINDER_DAYS_BEFORE_END days is not submitted and who have not been reminded of it yet;
    returns the number of e-mails sent."""
    today = today or timezone.localdate()
    sent, failed = 0, None
    for period in reminder_periods(today=today):
        units = units_to_remind(period)
        addresses = unit_staff_addresses(units)
        for unit in units:
            to = addresses.get(unit.pk)
            if not to:
                continue
            reminder = _claim(period, unit, to)
            if reminder is None:
                continue
            try:
                _message(period, unit, to, today).send()
            except SMTPRecipientsRefused as exc:
                if not refused_for_good(exc):
                    # 4xx (greylisting, a full mailbox): the retry or a later day tries again.
                    reminder.delete()
                    failed = failed or exc
                    logger.warning("Reminder for %s to %s deferred: %s", period, unit.code,
                                   exc.recipients)
                    continue
                # The server will never take these addresses (5xx): recorded as refused, so no
                # later run tries again; the other units still get theirs.
                ReportReminder.objects.filter(pk=reminder.pk).update(refused=True)
                logger.error("Reminder for %s to %s refused (%s)", period, unit.code, ", ".join(to))
                continue
            except (SMTPServerDisconnected, SMTPConnectError, OSError):
                # The server itself is unreachable: the units after this one would each wait
                # out the timeout. Stop; the task's retry (or tomorrow's run) sends this one
                # and those after it.
                reminder.delete()
                raise
            except SMTPException as exc:
                reminder.delete()  # this message only: the others go on, the retry resends it
                failed = failed or exc
                logger.warning("Reminder for %s to %s not sent: %s", period, unit.code, exc)
                continue
            sent += 1
            logger.info("Reminder for %s sent to %s (%s)", period, unit.code, ", ".join(to))
    if failed is not None:
        # Every unit was tried; raised now so the task retries the ones that failed.
        raise failed
    return sent
