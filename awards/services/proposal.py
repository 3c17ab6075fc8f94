"""The compiler's changes to the proposal (R13, R14): nominate a department, order the
nominations, drop or restore a candidate. Each change re-applies R14 over the candidates and
is logged with its reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max

from rules import allocation
from scoring.models import Nomination
from scoring.selectors import period_nominations
from units.models import Unit

from ..models import AwardLine, Dossier, DossierChange, Exclusion, Individual
from ..selectors import province_may_be_proposed, ranked_offices, snapshot_ranks
from .common import lock_for_edit, log_change, required_text


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
    names = snapshot.prize_names
    ranks = snapshot_ranks(snapshot)
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
                f"{names[proposal.prize]} (tối đa {quota} cá nhân) "
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
            "prize_name": names[proposal.prize],
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
    log_change(dossier, user=user, action=action, reason=reason, unit=unit)
    label = DossierChange.Action(action).label.lower()
    for individual in removed:
        log_change(dossier, user=user, action=DossierChange.Action.REMOVE_INDIVIDUAL,
             unit=individual.line.unit, person=individual.person,
             reason=f"{individual.line.unit.name} không còn giải tập thể sau thao tác "
                    f"«{label}»: {reason}")
    return [individual.person.full_name for individual in removed]


@transaction.atomic
def nomination_create(*, user, dossier: Dossier, unit: Unit, reason: str) -> Nomination:
    """R13: the compiler proposes a department, with a written reason; it joins the candidates
    after the ranked local offices, last in the compiler's order."""
    dossier = lock_for_edit(user, dossier)
    reason = required_text(reason, "Phải ghi lý do đề nghị khen thưởng phòng (thành tích cụ thể).")
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
    dossier = lock_for_edit(user, dossier)
    reason = required_text(reason, "Phải ghi lý do đổi thứ tự ưu tiên.")
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
    dossier = lock_for_edit(user, dossier)
    reason = required_text(reason, "Phải ghi lý do không đề nghị khen thưởng đơn vị này.")
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
    dossier = lock_for_edit(user, dossier)
    reason = required_text(reason, "Phải ghi lý do đưa đơn vị trở lại danh sách.")
    deleted, _ = Exclusion.objects.filter(dossier=dossier, unit=unit).delete()
    if not deleted:
        raise ValidationError(f"{unit.name} không nằm trong danh sách đã bỏ.")
    return _apply_and_log(dossier, user=user, action=DossierChange.Action.RESTORE, reason=reason,
                          unit=unit)
