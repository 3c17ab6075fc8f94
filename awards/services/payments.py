"""Paying a decided dossier recipient by recipient (R16): finance records each collective's and
each person's payment with its day and voucher. The dossier becomes paid with the payment of its
last unpaid recipient, and goes back to approved if a payment of it is cancelled.

The amount paid is the decided one, copied from the line or the individual; nothing here
changes a line, an individual or the issued decision. Every entry and every cancellation is a
`DossierEvent` on the dossier's history, and the payment rows keep who, when and why.

Each call locks the dossier row first (SELECT ... FOR UPDATE), so two clerks recording the same
prize at once are served one after the other and the second is told it is paid; the partial
unique constraints on `Payment` refuse a second standing payment even without that lock.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaign.lifecycle import campaign_require_writable
from rules.formatting import format_money

from .. import emails
from ..access import PAY, UNPAY, require_action
from ..models import AwardLine, Dossier, DossierEvent, Individual, Payment
from ..selectors import recipients_of
from ..words import recipients_phrase
from .common import Action, State, not_in_the_future, required_text, state_label

VOUCHER_MAX = Payment._meta.get_field("voucher").max_length


def _lock(dossier_pk: int) -> Dossier:
    locked = (Dossier.objects.select_for_update().select_related("period__campaign")
              .get(pk=dossier_pk))
    campaign_require_writable(locked.period.campaign)
    return locked


def _move(locked: Dossier, *, to: str, user, action: str, comment: str) -> None:
    """approved ↔ paid, by compare-and-swap on the locked row, with its event and mail."""
    updated = Dossier.objects.filter(pk=locked.pk, state=locked.state, version=locked.version).update(
        state=to, version=F("version") + 1)
    if updated != 1:  # pragma: no cover - the row is locked
        raise ValidationError("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang.")
    event = DossierEvent.objects.create(dossier=locked, action=action, from_state=locked.state,
                                        to_state=to, actor=user, comment=comment)
    emails.notify_on_commit(event)


def _recipient_name(payment: Payment) -> str:
    if payment.individual_id:
        return f"{payment.individual.person.full_name} ({payment.individual.line.unit.name})"
    return f"{payment.line.unit.name} ({payment.line.prize_name})"


def payments_record(*, user, dossier: Dossier, line_ids=(), individual_ids=(), paid_on: dt.date | None,
                    voucher: str, comment: str = "") -> list[Payment]:
    """Finance: the chosen collectives (`line_ids`) and persons (`individual_ids`) of an
    approved dossier were paid on `paid_on` against `voucher`, each its decided amount.

    Refused, with nothing written: a recipient already paid (cancel that entry first), one of
    another dossier, a dossier not approved (not yet decided, or paid in full), a day before
    the decision or still to come, no voucher."""
    require_action(user, PAY)
    if paid_on is None:
        raise ValidationError("Phải ghi ngày chi.")
    not_in_the_future(paid_on, "Ngày chi")
    voucher = required_text(voucher, "Phải ghi số, ngày chứng từ chi (ủy nhiệm chi, phiếu chi).")
    if len(voucher) > VOUCHER_MAX:
        raise ValidationError(f"Chứng từ chi dài quá {VOUCHER_MAX} ký tự.")
    line_ids, individual_ids = set(line_ids), set(individual_ids)
    with transaction.atomic():
        locked = _lock(dossier.pk)
        if locked.state == State.PAID:
            raise ValidationError("Không thể ghi nhận chi trả thêm: mọi tập thể, cá nhân của hồ sơ "
                                  "đã được chi trả.")
        if locked.state != State.APPROVED:
            raise ValidationError(
                f"Không thể ghi nhận chi trả hồ sơ đang ở trạng thái «{state_label(locked.state)}»: "
                "chỉ chi trả theo quyết định khen thưởng đã được phê duyệt."
            )
        if not line_ids and not individual_ids:
            raise ValidationError("Chưa chọn tập thể, cá nhân nào để ghi nhận chi trả.")
        if paid_on < locked.decision_date:
            raise ValidationError(
                f"Ngày chi ({paid_on:%d/%m/%Y}) không được trước ngày quyết định khen thưởng "
                f"({locked.decision_date:%d/%m/%Y})."
            )
        lines = list(AwardLine.objects.filter(dossier=locked, pk__in=line_ids).select_related("unit"))
        individuals = list(Individual.objects.filter(line__dossier=locked, pk__in=individual_ids)
                           .select_related("person", "line__unit"))
        if len(lines) != len(line_ids) or len(individuals) != len(individual_ids):
            raise ValidationError("Có khoản không thuộc hồ sơ này; hãy tải lại trang.")
        already = list(
            Payment.objects.filter(Q(line__in=lines) | Q(individual__in=individuals), cancelled_at__isnull=True)
            .select_related("line__unit", "individual__person", "individual__line__unit")
        )
        if already:
            named = "; ".join(f"{_recipient_name(p)} đã chi ngày {p.paid_on:%d/%m/%Y}"
                              + (f", chứng từ {p.voucher}" if p.voucher else "") for p in already)
            raise ValidationError(
                f"Không ghi nhận hai lần: {named}. Nếu lần ghi trước sai, hãy hủy khoản đó (ghi lý "
                "do) rồi ghi nhận lại."
            )
        now = timezone.now()
        payments = [Payment(line=line, amount=line.amount, paid_on=paid_on, voucher=voucher,
                            recorded_at=now, recorded_by=user) for line in lines]
        payments += [Payment(individual=individual, amount=individual.amount, paid_on=paid_on,
                             voucher=voucher, recorded_at=now, recorded_by=user)
                     for individual in individuals]
        try:
            with transaction.atomic():
                payments = Payment.objects.bulk_create(payments)
        except IntegrityError as error:  # pragma: no cover - only without the row lock
            raise ValidationError("Một khoản vừa được người khác ghi nhận; hãy tải lại trang.") from error
        total = sum(p.amount for p in payments)
        note = (comment or "").strip()
        DossierEvent.objects.create(
            dossier=locked, action=Action.PAYMENT, from_state="", to_state=locked.state, actor=user,
            comment=f"Chi {recipients_phrase(len(lines), len(individuals))}, {format_money(total)}, "
                    f"ngày {paid_on:%d/%m/%Y}, chứng từ {voucher}." + (f" {note}" if note else ""),
        )
        remaining = [r for r in recipients_of([locked.pk]).get(locked.pk, []) if not r.is_paid]
        if not remaining:
            _move(locked, to=State.PAID, user=user, action=Action.PAID,
                  comment="Mọi tập thể, cá nhân theo quyết định đã được chi trả.")
    dossier.refresh_from_db()
    return payments


def payment_cancel(*, user, payment: Payment, reason: str) -> Payment:
    """Finance: a payment entered by mistake (wrong recipient, day or voucher) is cancelled with
    the reason; the row stays, marked cancelled, and the recipient is unpaid again. A paid
    dossier goes back to approved. Refused once the campaign is finished."""
    require_action(user, UNPAY)
    reason = required_text(reason, "Phải ghi lý do hủy khoản chi đã ghi nhận.")
    dossier_pk = (payment.line or payment.individual.line).dossier_id
    with transaction.atomic():
        locked = _lock(dossier_pk)
        current = Payment.objects.select_related(
            "line__unit", "individual__person", "individual__line__unit").get(pk=payment.pk)
        if current.cancelled_at is not None:
            raise ValidationError(
                f"Khoản chi này đã được hủy lúc "
                f"{timezone.localtime(current.cancelled_at):%H:%M %d/%m/%Y}; không có gì thay đổi."
            )
        Payment.objects.filter(pk=current.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancelled_by=user, cancel_reason=reason)
        comment = (f"Hủy khoản chi {_recipient_name(current)}, {format_money(current.amount)}, "
                   f"ngày {current.paid_on:%d/%m/%Y}"
                   + (f", chứng từ {current.voucher}" if current.voucher else "") + f". Lý do: {reason}")
        if locked.state == State.PAID:  # a recipient is unpaid again: so is the dossier
            _move(locked, to=State.APPROVED, user=user, action=Action.UNPAID, comment=comment)
        else:
            DossierEvent.objects.create(dossier=locked, action=Action.UNPAID, from_state="",
                                        to_state=locked.state, actor=user, comment=comment)
    payment.refresh_from_db()
    return payment
