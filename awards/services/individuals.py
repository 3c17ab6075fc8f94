"""The individuals proposed with a prized collective (R15): added up to its quota, their
achievements edited, removed with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from units.models import Person

from ..models import AwardLine, DossierChange, Individual
from .common import lock_for_edit, log_change, required_text

ACHIEVEMENT_MAX = 500


def _lock_line(user, line: AwardLine) -> AwardLine:
    dossier = lock_for_edit(user, line.dossier)
    return AwardLine.objects.select_for_update().select_related("unit").get(pk=line.pk, dossier=dossier)


def _achievement(text: str, person: Person) -> str:
    text = required_text(text, f"Phải ghi tóm tắt thành tích của {person.full_name}.")
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
            f"{line.prize_name} của {line.unit.name} được đề nghị tối đa "
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
    log_change(line.dossier, user=user, action=DossierChange.Action.ADD_INDIVIDUAL, reason=achievement,
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
    log_change(line.dossier, user=user, action=DossierChange.Action.EDIT_INDIVIDUAL,
         reason=individual.achievement, unit=line.unit, person=individual.person)
    return individual


@transaction.atomic
def individual_remove(*, user, individual: Individual, reason: str) -> None:
    line = _lock_line(user, individual.line)
    reason = required_text(reason, "Phải ghi lý do bỏ cá nhân khỏi danh sách.")
    individual = Individual.objects.select_related("person").get(pk=individual.pk, line=line)
    person = individual.person
    individual.delete()
    log_change(line.dossier, user=user, action=DossierChange.Action.REMOVE_INDIVIDUAL, reason=reason,
         unit=line.unit, person=person)
