"""What every automatic e-mail says of the office: the subject's tag and the sender. Both come
from the organisation (units.models.Organisation), so no module names an office."""

from __future__ import annotations

from django.conf import settings

from .models import Organisation


def mail_subject(text: str, organisation: Organisation | None = None) -> str:
    """"[Thi đua <office>] text"; "[Thi đua] text" while no office has been entered, rather
    than a placeholder name in someone's inbox."""
    organisation = organisation or Organisation.current()
    if organisation.pk is None or not organisation.short_name:
        return f"[Thi đua] {text}"
    return f"[Thi đua {organisation.short_name}] {text}"


def mail_sender(organisation: Organisation | None = None) -> str:
    """The office's own sender address, else the installation's DEFAULT_FROM_EMAIL."""
    organisation = organisation or Organisation.current()
    return organisation.email_from or settings.DEFAULT_FROM_EMAIL
