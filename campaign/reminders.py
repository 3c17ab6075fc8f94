"""Reminders to units whose report is not submitted, a few days before the period closes.

"Before the period closes" counts to the period's roll-up due date (Period.rollup_due_at, by
default 07:00 on the 5th of the next month): figures are cumulative to the month's last day,
so units enter them in the days after it, and the roll-up is what closes the period to them.
A reminder before the month's last day would reach every unit, diligent or not.

Once per unit per period: the reminder goes out only on the day that is exactly
REMINDER_DAYS_BEFORE_END days before the due date (beat runs the task once a day, at 08:00),
and a cache key per period, unit and day keeps a repeated run that day (a retry, a redelivered
message, a manual call) from sending it twice. With Django's default local-memory cache that
key is per worker process; a shared cache (Redis) makes it global.
"""

import datetime as dt
import logging
from smtplib import SMTPConnectError, SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from units.models import Person, Role, Unit

from .models import Period, Report
from .selectors import reporting_units

logger = logging.getLogger(__name__)


def reminder_periods(*, today: dt.date):
    """Open periods whose roll-up is due exactly REMINDER_DAYS_BEFORE_END days after today."""
    days = settings.REMINDER_DAYS_BEFORE_END
    periods = Period.objects.filter(status=Period.Status.OPEN).select_related("campaign")
    return [p for p in periods if (timezone.localtime(p.rollup_due_at).date() - today).days == days]


def units_without_submitted_report(period: Period) -> list[Unit]:
    submitted = Report.objects.filter(period=period, status=Report.Status.SUBMITTED).values("unit_id")
    return list(reporting_units().exclude(pk__in=submitted))


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


def _message(period: Period, unit: Unit, to: list[str]) -> EmailMessage:
    due = timezone.localtime(period.rollup_due_at)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "campaign:report_edit", kwargs={"number": period.number, "unit_code": unit.code},
    )
    body = (
        f"{unit.name} chưa gửi báo cáo kết quả thi đua {period.name} "
        f"(số liệu lũy kế đến hết ngày {period.last_day:%d/%m/%Y}).\n\n"
        f"Kỳ được tổng hợp và khóa sổ lúc {due:%H:%M} ngày {due:%d/%m/%Y} "
        f"(còn {settings.REMINDER_DAYS_BEFORE_END} ngày). Báo cáo chưa gửi khi đó không được "
        "xếp hạng.\n\n"
        f"Nhập và gửi báo cáo: {link}\n"
    )
    return EmailMessage(f"[Thi đua] Nhắc gửi báo cáo {period.name}", body, None, to)


def send_report_reminders(*, today: dt.date | None = None) -> int:
    """E-mail the staff of each unit whose report for a period closing in
    REMINDER_DAYS_BEFORE_END days is not submitted; returns the number of e-mails sent."""
    today = today or timezone.localdate()
    sent, failed = 0, None
    for period in reminder_periods(today=today):
        units = units_without_submitted_report(period)
        addresses = unit_staff_addresses(units)
        for unit in units:
            to = addresses.get(unit.pk)
            if not to:
                continue
            key = f"thidua:report-reminder:{period.pk}:{unit.pk}:{today:%Y%m%d}"
            if not cache.add(key, True, timeout=2 * 24 * 3600):
                continue
            try:
                _message(period, unit, to).send()
            except SMTPRecipientsRefused:
                # The server will never take these addresses: log it, and keep the key so a
                # retry does not try again; the other units still get theirs.
                logger.error("Reminder for %s to %s refused (%s)", period, unit.code, ", ".join(to))
                continue
            except (SMTPServerDisconnected, SMTPConnectError, OSError):
                # The server itself is unreachable: the units after this one would each wait
                # out the timeout. Stop; the task's retry sends this one and those after it.
                cache.delete(key)
                raise
            except SMTPException as exc:
                cache.delete(key)  # this message only: the others go on, the retry resends it
                failed = failed or exc
                logger.warning("Reminder for %s to %s not sent: %s", period, unit.code, exc)
                continue
            sent += 1
            logger.info("Reminder for %s sent to %s (%s)", period, unit.code, ", ".join(to))
    if failed is not None:
        # Every unit was tried; raised now so the task retries the ones that failed.
        raise failed
    return sent
