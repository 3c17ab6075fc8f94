"""E-mail to the role that acts next, at every step of a dossier (RULES.md Workflow).

Sent after the transaction commits (`transaction.on_commit`), so nobody is told about a step
that was rolled back. A mail server that fails is logged, never turned into an error for the
user whose step has already been saved.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from campaign.scope import campaign_urls
from units.mail import mail_sender, mail_subject
from units.models import Organisation, Role

from .models import DossierEvent

logger = logging.getLogger(__name__)

Action = DossierEvent.Action

# Who acts next after each step, and what they are asked to do.
NEXT = {
    Action.CREATED: ((Role.COMPILER, Role.APPRAISER),
                     "Phòng Quản lý thu hoàn thiện hồ sơ (đề nghị phòng nghiệp vụ, cá nhân) và trình "
                     "thẩm định; Phòng Tổ chức - Hành chính nắm để chuẩn bị thẩm định."),
    Action.SUBMITTED: ((Role.APPRAISER,),
                       "Phòng Tổ chức - Hành chính thẩm định: trả lại kèm ý kiến, hoặc ghi kết quả "
                       "họp Hội đồng Thi đua - Khen thưởng và trình Giám đốc."),
    Action.RETURNED: ((Role.COMPILER,),
                      "Phòng Quản lý thu bổ sung, chỉnh sửa theo ý kiến và trình lại."),
    Action.APPRAISED: ((Role.DIRECTOR,),
                       "Giám đốc xem xét, phê duyệt và ký quyết định khen thưởng."),
    Action.APPROVED: ((Role.FINANCE,),
                      "Phòng Kế hoạch - Tài chính chi trả tiền thưởng theo quyết định và ghi nhận "
                      "trên hệ thống."),
    Action.PAID: ((Role.COMPILER,),
                  "Tiền thưởng đã được chi trả cho mọi tập thể, cá nhân; hồ sơ hoàn tất."),
    # Sent only when a cancelled payment takes a paid dossier back to approved; the entries of
    # a dossier still being paid are on its page, not in anyone's mailbox.
    Action.UNPAID: ((Role.COMPILER, Role.FINANCE),
                    "Một khoản chi đã bị hủy ghi nhận; Phòng Kế hoạch - Tài chính ghi nhận lại khoản "
                    "chi đúng để hồ sơ hoàn tất."),
    Action.CANCELLED: ((Role.COMPILER, Role.APPRAISER),
                       "Kỳ thi đua được mở lại; hồ sơ mới sẽ được lập khi tổng hợp lại."),
}


def recipients(roles, *, actor=None) -> list[str]:
    """Active accounts of the roles, with an address; not the person who took the step, who
    knows it already."""
    User = get_user_model()
    users = User.objects.filter(is_active=True, groups__name__in=list(roles)).exclude(email="")
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return sorted(set(users.values_list("email", flat=True)))


def dossier_url(dossier) -> str:
    with campaign_urls(dossier.period.campaign):
        return settings.SITE_URL.rstrip("/") + reverse("awards:dossier", args=[dossier.pk])


def send_event_email(event_id: int) -> int:
    """Send the mail about one event; returns the number of messages sent (0 or 1)."""
    event = DossierEvent.objects.select_related("dossier__period", "dossier__snapshot", "actor").defer(
        "dossier__snapshot__inputs", "dossier__snapshot__document").get(pk=event_id)
    roles, next_step = NEXT[event.action]
    to = recipients(roles, actor=event.actor)
    if not to:
        logger.info("Hồ sơ %s: không có người nhận e-mail cho bước %s.", event.dossier_id, event.action)
        return 0
    dossier = event.dossier
    organisation = Organisation.current()
    subject = mail_subject(
        f"Hồ sơ khen thưởng {dossier.period.name}: {event.get_action_display()}", organisation,
    )
    body = render_to_string("awards/email/event.txt", {
        "event": event, "dossier": dossier, "next_step": next_step, "url": dossier_url(dossier),
        "organisation": organisation,
    })
    try:
        return send_mail(subject, body, mail_sender(organisation), to)
    except Exception:  # the step is saved; a mail failure must not undo it or show an error
        logger.exception("Không gửi được e-mail về hồ sơ %s (%s).", dossier.pk, event.action)
        return 0


def notify_on_commit(event: DossierEvent) -> None:
    event_id = event.pk
    transaction.on_commit(lambda: send_event_email(event_id))
