"""Celery tasks of the campaign app: thin, calling campaign/reminders.py."""

from smtplib import SMTPException

from celery import shared_task

from .notices import send_return_notice
from .reminders import send_report_reminders


@shared_task(
    name="campaign.tasks.remind_unsubmitted_reports",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError), retry_backoff=True,
    max_retries=5,
)
def remind_unsubmitted_reports() -> int:
    """Beat, daily at 08:00: remind units that have not submitted (see reminders.py)."""
    return send_report_reminders()


@shared_task(
    name="campaign.tasks.notify_report_returned",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError), retry_backoff=True,
    max_retries=5,
)
def notify_report_returned(event_id: int) -> bool:
    """After a compiler returns a report: e-mail the unit (see notices.py)."""
    return send_return_notice(event_id)
