"""The e-mail that tells a unit its report was returned, with the compiler's reason and the
link to fix it.

Sent by a Celery task after the return commits. Once per return and retry-safe as the
reminders are (campaign/reminders.py): a ReportReturnNotice row, one per return event, is
claimed before the e-mail goes out and given back if it could not be sent, so a retry sends it
and a redelivered task does not send it twice. The compiler who returned it is not mailed.
"""

import logging
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from .models import ReportEvent, ReportReturnNotice
from .reminders import refused_for_good, unit_staff_addresses

logger = logging.getLogger(__name__)


def _message(event: ReportEvent, to: list[str]) -> EmailMessage:
    report = event.report
    period, unit = report.period, report.unit
    link = settings.SITE_URL.rstrip("/") + reverse(
        "campaign:report_edit", kwargs={"number": period.number, "unit_code": unit.code},
    )
    due = timezone.localtime(period.rollup_due_at)
    who = event.actor.get_full_name() or event.actor.get_username() if event.actor else "Phòng Quản lý thu"
    body = (
        f"Báo cáo kết quả thi đua {period.name} của {unit.name} đã bị trả lại để sửa "
        f"({who}, {timezone.localtime(event.at):%H:%M %d/%m/%Y}).\n\n"
        f"Lý do: {event.note}\n\n"
        f"Sửa và gửi lại trước {due:%H:%M} ngày {due:%d/%m/%Y}, khi kỳ được tổng hợp và khóa sổ: "
        f"{link}\n"
    )
    return EmailMessage(f"[Thi đua] Báo cáo {period.name} bị trả lại", body, None, to)


def send_return_notice(event_id: int) -> bool:
    """E-mail the unit's staff about the return `event_id`; True if this call sent it."""
    event = ReportEvent.objects.select_related("report__period", "report__unit", "actor").get(pk=event_id)
    if event.action != ReportEvent.Action.RETURNED:
        return False
    unit = event.report.unit
    to = [a for a in unit_staff_addresses([unit]).get(unit.pk, [])
          if not (event.actor and a == event.actor.email)]
    if not to:
        return False
    try:
        with transaction.atomic():
            notice = ReportReturnNotice.objects.create(event=event, recipients=", ".join(to))
    except IntegrityError:
        return False  # sent already (a redelivered or repeated task)
    try:
        _message(event, to).send()
    except SMTPRecipientsRefused as exc:
        if refused_for_good(exc):
            ReportReturnNotice.objects.filter(pk=notice.pk).update(refused=True)
            logger.error("Return notice for %s refused (%s)", event.report, ", ".join(to))
            return False
        notice.delete()
        raise
    except Exception:
        notice.delete()  # given back: the task's retry sends it
        raise
    logger.info("Return notice for %s sent to %s", event.report, ", ".join(to))
    return True
