"""The dossier's workflow (R16): submitted by the compiler, returned or appraised by the
appraiser, approved by the director within the budget. Finance then pays each recipient
(`payments`), and the last payment makes the dossier paid.

State is checked again inside the transaction, on the dossier row locked with
SELECT ... FOR UPDATE, and the transition itself is a compare-and-swap update
(`filter(pk=..., state=..., version=...).update(...)`): two people pressing the same button
at once give one transition, the other is told the dossier has moved on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from campaign.lifecycle import campaign_require_writable
from campaign.models import Campaign
from rules.formatting import format_money

from .. import emails
from ..access import APPRAISE, APPROVE, RETURN, SUBMIT, require_action
from ..models import Dossier, DossierEvent
from ..selectors import approved_total, dossier_total
from .common import Action, State, not_in_the_future, required_text, state_label
from .decisions import decision_issue

# "123/QĐ-BHXH": a number, "/QĐ-", and the issuing body's abbreviation (Decree 30/2020, App. I).
DECISION_NUMBER_RE = re.compile(r"^0*[1-9][0-9]{0,5}/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")


def money(amount: int) -> str:
    return format_money(amount)


@dataclass(frozen=True)
class Transition:
    name: str  # the access action and the service verb
    event: str  # DossierEvent.Action
    sources: tuple[str, ...]
    target: str
    label: str  # what the button says, lower-case inside sentences

    def allowed_from(self, state: str) -> bool:
        return state in self.sources


TRANSITIONS = {
    SUBMIT: Transition(SUBMIT, Action.SUBMITTED, (State.DRAFT, State.RETURNED), State.SUBMITTED,
                       "trình thẩm định"),
    RETURN: Transition(RETURN, Action.RETURNED, (State.SUBMITTED,), State.RETURNED, "trả lại"),
    APPRAISE: Transition(APPRAISE, Action.APPRAISED, (State.SUBMITTED,), State.APPRAISED, "thẩm định"),
    APPROVE: Transition(APPROVE, Action.APPROVED, (State.APPRAISED,), State.APPROVED, "phê duyệt"),
}


def _transition(*, user, dossier: Dossier, name: str, comment: str = "", fields: dict | None = None,
                check=None, lock_campaign: bool = False, after=None) -> Dossier:
    transition = TRANSITIONS[name]
    require_action(user, name)
    with transaction.atomic():
        if lock_campaign:
            # Approvals of different periods share one budget: serialise them on the campaign.
            Campaign.objects.select_for_update().get(pk=dossier.period.campaign_id)
        locked = (
            Dossier.objects.select_for_update().select_related("period__campaign", "snapshot")
            .defer("snapshot__inputs")
            .get(pk=dossier.pk)
        )
        campaign_require_writable(locked.period.campaign)
        if not transition.allowed_from(locked.state):
            raise ValidationError(
                f"Không thể {transition.label} hồ sơ đang ở trạng thái "
                f"«{state_label(locked.state)}»; không có gì thay đổi."
            )
        if check is not None:
            check(locked)
        updated = Dossier.objects.filter(
            pk=locked.pk, state=locked.state, version=locked.version
        ).update(state=transition.target, version=F("version") + 1, **(fields or {}))
        if updated != 1:  # pragma: no cover - only without row locks (SQLite) and a race
            raise ValidationError("Hồ sơ vừa được người khác cập nhật; hãy tải lại trang.")
        event = DossierEvent.objects.create(
            dossier=locked, action=transition.event, from_state=locked.state,
            to_state=transition.target, actor=user, comment=(comment or "").strip(),
        )
        if after is not None:
            after(locked, event)
        emails.notify_on_commit(event)
    dossier.refresh_from_db()
    return dossier


def _check_submittable(dossier: Dossier) -> None:
    if not dossier.lines.exists():
        raise ValidationError(
            "Hồ sơ chưa có tập thể nào được đề nghị khen thưởng; không có gì để trình."
        )


def dossier_submit(*, user, dossier: Dossier, comment: str = "") -> Dossier:
    """Compiler: draft or returned → submitted (to the appraiser)."""
    return _transition(user=user, dossier=dossier, name=SUBMIT, comment=comment,
                       check=_check_submittable)


def dossier_return(*, user, dossier: Dossier, comment: str) -> Dossier:
    """Appraiser: submitted → returned to the compiler, with the comments to address."""
    require_action(user, RETURN)
    comment = required_text(comment, "Phải ghi ý kiến khi trả lại hồ sơ để Phòng Quản lý thu bổ sung.")
    return _transition(user=user, dossier=dossier, name=RETURN, comment=comment)


def dossier_appraise(*, user, dossier: Dossier, council_date: dt.date, council_minutes: str,
                     comment: str = "") -> Dossier:
    """Appraiser: submitted → appraised, citing the emulation council's meeting and minutes."""
    require_action(user, APPRAISE)
    if council_date is None:
        raise ValidationError("Phải ghi ngày họp Hội đồng Thi đua - Khen thưởng.")
    not_in_the_future(council_date, "Ngày họp Hội đồng")
    council_minutes = required_text(council_minutes, "Phải ghi số, ký hiệu biên bản họp Hội đồng.")

    def check(locked: Dossier) -> None:
        last_day = locked.period.last_day
        if council_date <= last_day:
            raise ValidationError(
                f"Ngày họp Hội đồng ({council_date:%d/%m/%Y}) phải sau ngày cuối của "
                f"{locked.period.name} ({last_day:%d/%m/%Y}): Hội đồng xét kết quả của cả tháng."
            )

    return _transition(
        user=user, dossier=dossier, name=APPRAISE, comment=comment, check=check,
        fields={"council_date": council_date, "council_minutes": council_minutes},
    )


def validate_decision_number(number: str) -> str:
    number = (number or "").strip()
    if not DECISION_NUMBER_RE.match(number):
        raise ValidationError(
            f"Số quyết định «{number}» không đúng dạng số/ký hiệu, ví dụ 123/QĐ-BHXH."
        )
    return number


def budget_check(*, dossier: Dossier, total: int | None = None) -> None:
    """R16: refuse an approval that would take the campaign's approved total past its budget."""
    campaign = dossier.period.campaign
    total = dossier_total(dossier) if total is None else total
    committed = approved_total(campaign, exclude=dossier)
    if committed + total > campaign.budget:
        raise ValidationError(
            f"Không thể phê duyệt: kinh phí khen thưởng của phong trào là {money(campaign.budget)}, "
            f"đã phê duyệt {money(committed)}, hồ sơ này {money(total)}; "
            f"tổng {money(committed + total)} vượt {money(committed + total - campaign.budget)}."
        )


def dossier_approve(*, user, dossier: Dossier, decision_number: str, decision_date: dt.date,
                    comment: str = "") -> Dossier:
    """Director: appraised → approved, with the decision's number and date, within the budget."""
    require_action(user, APPROVE)
    decision_number = validate_decision_number(decision_number)
    if decision_date is None:
        raise ValidationError("Phải ghi ngày ký quyết định.")
    not_in_the_future(decision_date, "Ngày ký quyết định")

    def check(locked: Dossier) -> None:
        if locked.council_date and decision_date < locked.council_date:
            raise ValidationError("Ngày quyết định không được trước ngày họp Hội đồng Thi đua - Khen thưởng.")
        clash = (
            Dossier.objects.filter(period__campaign=locked.period.campaign_id, decision_number=decision_number,
                                   decision_date__year=decision_date.year)
            .exclude(pk=locked.pk).exclude(state=State.CANCELLED).select_related("period").first()
        )
        if clash is not None:
            raise ValidationError(
                f"Số quyết định {decision_number} đã dùng cho hồ sơ {clash.period.name}."
            )
        budget_check(dossier=locked)

    return _transition(
        user=user, dossier=dossier, name=APPROVE, comment=comment, check=check, lock_campaign=True,
        fields={"decision_number": decision_number, "decision_date": decision_date, "approved_by": user},
        # The decision is rendered and signed once, now; downloads serve the stored bytes.
        after=lambda locked, event: decision_issue(dossier=locked, event=event),
    )
