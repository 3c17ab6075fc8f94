"""Every write of the awards app.

Permissions: `awards.access.require_action`, called first by every public function here.
State: checked again inside the transaction, on the dossier row locked with
SELECT ... FOR UPDATE, and the transition itself is a compare-and-swap update
(`filter(pk=..., state=..., version=...).update(...)`): two people pressing the same button
at once give one transition, the other is told the dossier has moved on.
Lock order, to avoid deadlocks: period (roll-up, reopen) → campaign (approval) → dossier → line.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from campaign.models import Campaign, Period
from scoring import allocation
from scoring.models import Nomination, Snapshot
from units.models import Person, Unit
from units.templatetags.vn import format_number

from . import emails
from .access import (
    APPRAISE,
    APPROVE,
    EDIT,
    PAY,
    RETURN,
    SUBMIT,
    require_action,
)
from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual

logger = logging.getLogger(__name__)

State = Dossier.State
Action = DossierEvent.Action

ACHIEVEMENT_MAX = 500
# "123/QĐ-BHXH": a number, "/QĐ-", and the issuing body's abbreviation (Decree 30/2020, App. I).
DECISION_NUMBER_RE = re.compile(r"^0*[1-9][0-9]{0,5}/QĐ-[A-ZĐ][A-ZĐ0-9]*(-[A-ZĐ0-9]+)*$")


def _not_in_the_future(day: dt.date, what: str) -> None:
    """A step records what has happened: a council that met, a decision signed, a payment made."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(f"{what} ({day:%d/%m/%Y}) chưa đến: hôm nay là {today:%d/%m/%Y}.")


def money(amount: int) -> str:
    return f"{format_number(amount)} đồng"


def _required_text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# --- the workflow -------------------------------------------------------------------------------

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
    PAY: Transition(PAY, Action.PAID, (State.APPROVED,), State.PAID, "ghi nhận chi trả"),
}


def _state_label(state: str) -> str:
    return State(state).label


def _transition(*, user, dossier: Dossier, name: str, comment: str = "", fields: dict | None = None,
                check=None, lock_campaign: bool = False) -> Dossier:
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
        if not transition.allowed_from(locked.state):
            raise ValidationError(
                f"Không thể {transition.label} hồ sơ đang ở trạng thái "
                f"«{_state_label(locked.state)}»; không có gì thay đổi."
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
    comment = _required_text(comment, "Phải ghi ý kiến khi trả lại hồ sơ để Phòng Quản lý thu bổ sung.")
    return _transition(user=user, dossier=dossier, name=RETURN, comment=comment)


def dossier_appraise(*, user, dossier: Dossier, council_date: dt.date, council_minutes: str,
                     comment: str = "") -> Dossier:
    """Appraiser: submitted → appraised, citing the emulation council's meeting and minutes."""
    require_action(user, APPRAISE)
    if council_date is None:
        raise ValidationError("Phải ghi ngày họp Hội đồng Thi đua - Khen thưởng.")
    _not_in_the_future(council_date, "Ngày họp Hội đồng")
    council_minutes = _required_text(council_minutes, "Phải ghi số, ký hiệu biên bản họp Hội đồng.")

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
    from .selectors import approved_total, dossier_total

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
    _not_in_the_future(decision_date, "Ngày ký quyết định")

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
    )


def dossier_pay(*, user, dossier: Dossier, paid_on: dt.date, payment_reference: str = "",
                comment: str = "") -> Dossier:
    """Finance: approved → paid."""
    require_action(user, PAY)
    if paid_on is None:
        raise ValidationError("Phải ghi ngày chi trả.")
    _not_in_the_future(paid_on, "Ngày chi trả")

    def check(locked: Dossier) -> None:
        if locked.decision_date and paid_on < locked.decision_date:
            raise ValidationError("Ngày chi trả không được trước ngày quyết định khen thưởng.")

    return _transition(
        user=user, dossier=dossier, name=PAY, comment=comment, check=check,
        fields={"paid_on": paid_on, "payment_reference": (payment_reference or "").strip()},
    )


# --- made by the roll-up, cancelled by a reopen (awards.receivers) ------------------------------

def _ranks(snapshot: Snapshot) -> dict[str, int]:
    return {row["unit"]: row["rank"] for row in snapshot.document.get("standings", []) if row.get("rank")}


def _cancel(dossier: Dossier, *, user, reason: str) -> None:
    updated = Dossier.objects.filter(pk=dossier.pk, state=dossier.state, version=dossier.version).update(
        state=State.CANCELLED, version=F("version") + 1, cancelled_at=timezone.now(),
        cancelled_by=user, cancelled_reason=reason,
    )
    if updated != 1:  # pragma: no cover - the row is locked by the caller
        raise ValidationError("Hồ sơ vừa được người khác cập nhật; hãy thử lại.")
    event = DossierEvent.objects.create(
        dossier=dossier, action=Action.CANCELLED, from_state=dossier.state, to_state=State.CANCELLED,
        actor=user, comment=reason,
    )
    emails.notify_on_commit(event)


def _refuse_if_decided(dossier: Dossier, period: Period) -> None:
    if dossier.is_decided:
        raise ValidationError(
            f"Không thể mở lại {period.name}: hồ sơ khen thưởng của kỳ đã được phê duyệt "
            f"(Quyết định số {dossier.decision_number} ngày {dossier.decision_date:%d/%m/%Y}). "
            "Kết quả đã quyết định khen thưởng không tính lại trên hệ thống."
        )


def dossier_create_for_snapshot(*, snapshot: Snapshot) -> Dossier:
    """The draft dossier of a freshly rolled-up period, its prize lines from the snapshot (R14).

    Runs inside the roll-up's transaction (scoring.signals.snapshot_created), so the dossier
    commits or rolls back with the snapshot. Idempotent: one dossier per snapshot (a
    one-to-one field) and one current dossier per period (a partial unique constraint).
    """
    existing = Dossier.objects.filter(snapshot=snapshot).first()
    if existing is not None:
        return existing
    period = snapshot.period
    current = Dossier.objects.select_for_update().filter(period=period).exclude(state=State.CANCELLED).first()
    if current is not None:
        # Normally cancelled when the period was reopened; a leftover open one gives way.
        _refuse_if_decided(current, period)
        _cancel(current, user=snapshot.created_by, reason="Có kết quả tổng hợp mới của kỳ.")
    dossier = Dossier.objects.create(period=period, snapshot=snapshot)
    awards = snapshot.document.get("awards", [])
    units = Unit.objects.in_bulk([a["unit"] for a in awards], field_name="code")
    ranks = _ranks(snapshot)
    AwardLine.objects.bulk_create([
        AwardLine(dossier=dossier, position=position, unit=units[a["unit"]], prize=a["prize"],
                  amount=a["amount"], individual_quota=a["individual_quota"], rank=ranks.get(a["unit"]))
        for position, a in enumerate(awards, start=1)
    ])
    event = DossierEvent.objects.create(
        dossier=dossier, action=Action.CREATED, from_state="", to_state=State.DRAFT,
        actor=snapshot.created_by,
        comment=f"Lập tự động từ kết quả tổng hợp {period.name} "
                f"({len(awards)} giải tập thể theo xếp hạng và đề nghị).",
    )
    emails.notify_on_commit(event)
    return dossier


def dossier_cancel_for_reopen(*, period: Period, user, reason: str) -> Dossier | None:
    """Reopening a period cancels its open dossier (kept, with the reason).

    Runs inside the reopen's transaction (scoring.signals.period_reopened). A dossier already
    approved or paid cannot be undone by a reopen: the ValidationError raised here aborts the
    reopen's transaction, so the period stays locked and its snapshot current.
    """
    current = Dossier.objects.select_for_update().filter(period=period).exclude(state=State.CANCELLED).first()
    if current is None:
        return None
    _refuse_if_decided(current, period)
    _cancel(current, user=user, reason=reason)
    current.refresh_from_db()
    return current


# --- the compiler's changes to the proposal (R13, R14) -------------------------------------------

def _lock_for_edit(user, dossier: Dossier) -> Dossier:
    require_action(user, EDIT)
    locked = (Dossier.objects.select_for_update().select_related("period__campaign", "snapshot")
              .defer("snapshot__inputs").get(pk=dossier.pk))
    if not locked.is_editable:
        raise ValidationError(
            f"Hồ sơ đang ở trạng thái «{_state_label(locked.state)}»; chỉ sửa được đề xuất khi "
            "hồ sơ là dự thảo hoặc bị trả lại."
        )
    return locked


def province_may_be_proposed(snapshot: Snapshot) -> bool:
    """R12 on the stored standings: the province totals met C1, C2 and C3."""
    province = snapshot.document.get("province")
    return bool(province and province.get("eligible"))


def ranked_offices(snapshot: Snapshot) -> list[str]:
    rows = [r for r in snapshot.document.get("standings", []) if r.get("rank")]
    return [r["unit"] for r in sorted(rows, key=lambda r: r["rank"])]


def period_nominations(period: Period) -> list[Nomination]:
    return list(Nomination.objects.filter(period=period).select_related("unit").order_by("order", "id"))


def proposal_for(dossier: Dossier) -> tuple[allocation.Proposal, ...]:
    """R14 over the dossier's candidates: the snapshot's ranked local offices not dropped,
    then the nominated departments in the compiler's order (the collection department only
    when R12 allows it), along the ladder stored with the snapshot."""
    snapshot = dossier.snapshot
    excluded = set(Exclusion.objects.filter(dossier=dossier).values_list("unit__code", flat=True))
    ranked = [code for code in ranked_offices(snapshot) if code not in excluded]
    province_ok = province_may_be_proposed(snapshot)
    nominated = [
        n.unit.code for n in period_nominations(dossier.period)
        if province_ok or not n.unit.is_collection_department
    ]
    return allocation.allocate(ranked, nominated, snapshot.applied_settings["ladder"])


def _lines_summary(dossier: Dossier) -> list[dict]:
    return [
        {"position": line.position, "unit": line.unit.code, "prize": line.prize, "amount": line.amount,
         "individuals": line.n}
        for line in dossier.lines.select_related("unit").annotate(n=Count("individuals")).order_by("position")
    ]


def _renumber_individuals(line: AwardLine) -> None:
    """Slots 1..n in their current order, with the line's quota; in increasing order a slot
    is always free when taken, so the unique (line, slot) never trips."""
    for slot, individual in enumerate(line.individuals.order_by("slot"), start=1):
        if individual.slot != slot or individual.quota != line.individual_quota:
            individual.slot, individual.quota = slot, line.individual_quota
            individual.save(update_fields=["slot", "quota"])


def _apply_proposal(dossier: Dossier) -> list[Individual]:
    """Bring the prize lines in line with R14 over the current candidates; returns the
    individuals removed with them.

    Units that keep a prize keep their individuals; a unit that loses its prize loses them
    with it (the caller logs each one, see _apply_and_log). A change that would leave a
    collective with more individuals than its new prize allows is refused.
    """
    snapshot = dossier.snapshot
    proposals = proposal_for(dossier)
    terms = snapshot.applied_settings["prizes"]
    ranks = _ranks(snapshot)
    existing = {
        line.unit.code: line
        for line in dossier.lines.select_related("unit").annotate(n=Count("individuals"))
    }
    wanted = {p.unit: p for p in proposals}
    for code, proposal in wanted.items():
        line = existing.get(code)
        quota = terms[proposal.prize]["individual_quota"]
        if line is not None and line.n > quota:
            raise ValidationError(
                f"Không thể thay đổi: {line.unit.name} sẽ nhận "
                f"{AwardLine(prize=proposal.prize).get_prize_display()} (tối đa {quota} cá nhân) "
                f"nhưng đã có {line.n} cá nhân được đề nghị. Hãy bỏ bớt cá nhân trước."
            )
    losing = AwardLine.objects.filter(dossier=dossier).exclude(unit__code__in=list(wanted))
    removed = list(Individual.objects.filter(line__in=losing).select_related("person", "line__unit"))
    losing.delete()
    kept = [line for code, line in existing.items() if code in wanted]
    # Move the kept lines out of the ladder's range first, so positions can be reassigned
    # without tripping the unique (dossier, position) constraint.
    AwardLine.objects.filter(pk__in=[line.pk for line in kept]).update(position=F("position") + 1000)
    units = Unit.objects.in_bulk([code for code in wanted if code not in existing], field_name="code")
    for proposal in proposals:
        values = {
            "position": proposal.position, "prize": proposal.prize,
            "amount": terms[proposal.prize]["amount"],
            "individual_quota": terms[proposal.prize]["individual_quota"],
            "rank": ranks.get(proposal.unit),
        }
        line = existing.get(proposal.unit)
        if line is None:
            AwardLine.objects.create(dossier=dossier, unit=units[proposal.unit], **values)
            continue
        for field, value in values.items():
            setattr(line, field, value)
        line.save(update_fields=list(values))
        _renumber_individuals(line)
    return removed


def _apply_and_log(dossier: Dossier, *, user, action: str, reason: str, unit=None) -> list[str]:
    """_apply_proposal, then the change in the log, then one entry per individual the change
    took off the lists with their unit's prize. Returns their names, for the message."""
    removed = _apply_proposal(dossier)
    _log(dossier, user=user, action=action, reason=reason, unit=unit)
    label = DossierChange.Action(action).label.lower()
    for individual in removed:
        _log(dossier, user=user, action=DossierChange.Action.REMOVE_INDIVIDUAL,
             unit=individual.line.unit, person=individual.person,
             reason=f"{individual.line.unit.name} không còn giải tập thể sau thao tác "
                    f"«{label}»: {reason}")
    return [individual.person.full_name for individual in removed]


def _log(dossier: Dossier, *, user, action: str, reason: str, unit=None, person=None) -> DossierChange:
    return DossierChange.objects.create(
        dossier=dossier, action=action, unit=unit, person=person, reason=reason, actor=user,
        lines_after=_lines_summary(dossier),
    )


@transaction.atomic
def nomination_create(*, user, dossier: Dossier, unit: Unit, reason: str) -> Nomination:
    """R13: the compiler proposes a department, with a written reason; it joins the candidates
    after the ranked local offices, last in the compiler's order."""
    dossier = _lock_for_edit(user, dossier)
    reason = _required_text(reason, "Phải ghi lý do đề nghị khen thưởng phòng (thành tích cụ thể).")
    unit = Unit.objects.get(pk=unit.pk)
    if unit.kind != Unit.Kind.DEPARTMENT:
        raise ValidationError(
            f"{unit.name} là BHXH cơ sở: được xét theo kết quả xếp hạng, không đề nghị như phòng nghiệp vụ."
        )
    if unit.is_directorate:
        raise ValidationError(
            f"{unit.name} phê duyệt khen thưởng, không phải phòng nghiệp vụ được đề nghị khen."
        )
    if not unit.active:
        raise ValidationError(f"{unit.name} không còn hoạt động.")
    if unit.is_collection_department and not province_may_be_proposed(dossier.snapshot):
        province = dossier.snapshot.document.get("province") or {}
        why = province.get("explanation") or "chưa có số liệu toàn tỉnh"
        raise ValidationError(
            f"{unit.name} chỉ được đề nghị khi số liệu toàn tỉnh đạt đủ ba tiêu chí C1, C2, C3; "
            f"kỳ này chưa đạt: {why}."
        )
    if Nomination.objects.filter(period=dossier.period, unit=unit).exists():
        raise ValidationError(f"{unit.name} đã được đề nghị trong kỳ này.")
    last = Nomination.objects.filter(period=dossier.period).aggregate(m=Max("order"))["m"]
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                period=dossier.period, unit=unit, reason=reason,
                order=0 if last is None else last + 1, created_by=user,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{unit.name} đã được đề nghị trong kỳ này.") from exc
    _apply_and_log(dossier, user=user, action=DossierChange.Action.NOMINATE, reason=reason, unit=unit)
    return nomination


@transaction.atomic
def nomination_reorder(*, user, dossier: Dossier, nomination_ids: list[int], reason: str) -> list[str]:
    """The compiler's order of the nominated departments (R14), with the reason for it;
    returns the names of the individuals removed with a prize the change took away."""
    dossier = _lock_for_edit(user, dossier)
    reason = _required_text(reason, "Phải ghi lý do đổi thứ tự ưu tiên.")
    nominations = {n.pk: n for n in period_nominations(dossier.period)}
    if sorted(nomination_ids) != sorted(nominations):
        raise ValidationError("Danh sách phòng được đề nghị đã thay đổi; hãy tải lại trang.")
    for order, pk in enumerate(nomination_ids):
        if nominations[pk].order != order:
            Nomination.objects.filter(pk=pk).update(order=order)
    return _apply_and_log(dossier, user=user, action=DossierChange.Action.REORDER, reason=reason)


def nomination_move(*, user, dossier: Dossier, nomination: Nomination, up: bool, reason: str) -> list[str]:
    """One step up or down the compiler's order (the buttons on the dossier page)."""
    ids = [n.pk for n in period_nominations(dossier.period)]
    if nomination.pk not in ids:
        raise ValidationError("Phòng này không còn trong danh sách đề nghị.")
    i = ids.index(nomination.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return nomination_reorder(user=user, dossier=dossier, nomination_ids=ids, reason=reason)


@transaction.atomic
def candidate_drop(*, user, dossier: Dossier, unit: Unit, reason: str) -> list[str]:
    """Take a candidate off the list, with the reason: a nominated department's nomination is
    withdrawn; a ranked local office is set aside for this dossier. The next candidates move up.
    Returns the names of the individuals removed with the prize."""
    dossier = _lock_for_edit(user, dossier)
    reason = _required_text(reason, "Phải ghi lý do không đề nghị khen thưởng đơn vị này.")
    nomination = Nomination.objects.filter(period=dossier.period, unit=unit).first()
    if nomination is not None:
        nomination.delete()
    elif unit.code in ranked_offices(dossier.snapshot):
        if Exclusion.objects.filter(dossier=dossier, unit=unit).exists():
            raise ValidationError(f"{unit.name} đã được bỏ khỏi danh sách.")
        Exclusion.objects.create(dossier=dossier, unit=unit, reason=reason, created_by=user)
    else:
        raise ValidationError(f"{unit.name} không có trong danh sách đề nghị kỳ này.")
    return _apply_and_log(dossier, user=user, action=DossierChange.Action.DROP, reason=reason,
                          unit=unit)


@transaction.atomic
def candidate_restore(*, user, dossier: Dossier, unit: Unit, reason: str) -> list[str]:
    """Put a set-aside local office back at its rank; returns the names of the individuals
    removed with a prize it took back from the unit after it."""
    dossier = _lock_for_edit(user, dossier)
    reason = _required_text(reason, "Phải ghi lý do đưa đơn vị trở lại danh sách.")
    deleted, _ = Exclusion.objects.filter(dossier=dossier, unit=unit).delete()
    if not deleted:
        raise ValidationError(f"{unit.name} không nằm trong danh sách đã bỏ.")
    return _apply_and_log(dossier, user=user, action=DossierChange.Action.RESTORE, reason=reason,
                          unit=unit)


# --- individuals (R15) -------------------------------------------------------------------------

def _lock_line(user, line: AwardLine) -> AwardLine:
    dossier = _lock_for_edit(user, line.dossier)
    return AwardLine.objects.select_for_update().select_related("unit").get(pk=line.pk, dossier=dossier)


def _achievement(text: str, person: Person) -> str:
    text = _required_text(text, f"Phải ghi tóm tắt thành tích của {person.full_name}.")
    if len(text) > ACHIEVEMENT_MAX:
        raise ValidationError(f"Tóm tắt thành tích tối đa {ACHIEVEMENT_MAX} ký tự.")
    return text


@transaction.atomic
def individual_add(*, user, line: AwardLine, person: Person, achievement: str,
                   has_initiative: bool = False) -> Individual:
    """R15: a staff member of the prized collective, up to its quota (3 / 2 / 1)."""
    line = _lock_line(user, line)
    person = Person.objects.select_related("unit").get(pk=person.pk)
    if person.unit_id != line.unit_id:
        raise ValidationError(
            f"{person.full_name} là viên chức của {person.unit.name}, không thuộc {line.unit.name}: "
            "chỉ đề nghị được viên chức, người lao động của tập thể được khen thưởng."
        )
    if not person.active:
        raise ValidationError(f"{person.full_name} không còn công tác tại {line.unit.name}.")
    achievement = _achievement(achievement, person)
    taken = set(line.individuals.values_list("slot", flat=True))
    if Individual.objects.filter(line=line, person=person).exists():
        raise ValidationError(f"{person.full_name} đã có trong danh sách của {line.unit.name}.")
    if len(taken) >= line.individual_quota:
        raise ValidationError(
            f"{line.get_prize_display()} của {line.unit.name} được đề nghị tối đa "
            f"{line.individual_quota} cá nhân và đã đủ; hãy bỏ bớt một người trước khi thêm."
        )
    slot = min(set(range(1, line.individual_quota + 1)) - taken)
    try:
        with transaction.atomic():
            individual = Individual.objects.create(
                line=line, person=person, achievement=achievement, has_initiative=has_initiative,
                slot=slot, quota=line.individual_quota,
                amount=line.dossier.snapshot.applied_settings["individual_amount"], created_by=user,
            )
    except IntegrityError as exc:  # the slot or the person taken by a concurrent request
        raise ValidationError(
            f"Danh sách cá nhân của {line.unit.name} vừa thay đổi; hãy tải lại trang."
        ) from exc
    _log(line.dossier, user=user, action=DossierChange.Action.ADD_INDIVIDUAL, reason=achievement,
         unit=line.unit, person=person)
    return individual


@transaction.atomic
def individual_update(*, user, individual: Individual, achievement: str, has_initiative: bool,
                      opened: tuple[str, bool] | None) -> Individual:
    """`opened` is (achievement, has_initiative) as the editor's page showed them: if someone
    saved since, the save is refused rather than overwriting theirs. None (the page did not
    say what it showed) is refused as well: the check is not the client's to skip."""
    line = _lock_line(user, individual.line)
    individual = Individual.objects.select_related("person").get(pk=individual.pk, line=line)
    if opened is None:
        raise ValidationError(
            f"Trang sửa thành tích của {individual.person.full_name} không cho biết anh/chị đã "
            "mở nội dung nào, nên không thể biết có ai sửa sau đó hay không; nội dung của "
            "anh/chị chưa được lưu. Hãy tải lại trang rồi sửa lại."
        )
    if opened != (individual.achievement, individual.has_initiative):
        raise ValidationError(
            f"Thành tích của {individual.person.full_name} vừa được người khác sửa sau khi anh/chị "
            "mở trang; nội dung của anh/chị chưa được lưu. Hãy tải lại trang rồi sửa lại."
        )
    individual.achievement = _achievement(achievement, individual.person)
    individual.has_initiative = has_initiative
    individual.save(update_fields=["achievement", "has_initiative"])
    _log(line.dossier, user=user, action=DossierChange.Action.EDIT_INDIVIDUAL,
         reason=individual.achievement, unit=line.unit, person=individual.person)
    return individual


@transaction.atomic
def individual_remove(*, user, individual: Individual, reason: str) -> None:
    line = _lock_line(user, individual.line)
    reason = _required_text(reason, "Phải ghi lý do bỏ cá nhân khỏi danh sách.")
    individual = Individual.objects.select_related("person").get(pk=individual.pk, line=line)
    person = individual.person
    individual.delete()
    _log(line.dossier, user=user, action=DossierChange.Action.REMOVE_INDIVIDUAL, reason=reason,
         unit=line.unit, person=person)

