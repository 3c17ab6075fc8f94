"""R13/R14: the compiler's nominations, drops and reorders; the ladder is never exceeded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards import services
from awards.models import Dossier, DossierChange, Exclusion
from scoring.models import Nomination
from scoring.services import period_rollup
from units.models import Unit

from ..conftest import set_level
from .conftest import advance, full_dossier, line_of, report_period, set_state


def prizes(dossier):
    return [(line.unit.code, line.prize) for line in dossier.lines.order_by("position")]


def nominate(cast, unit, reason="Tham mưu, đôn đốc công tác thu hiệu quả"):
    return services.nomination_create(user=cast.compiler, dossier=cast.dossier, unit=unit, reason=reason)


def test_a_nominated_department_takes_the_next_prize_after_the_local_offices(rolled):
    nominate(rolled, rolled.tchc)
    assert prizes(rolled.dossier) == [("AAA", "first"), ("BBB", "second"), ("CCC", "third"), ("TCHC", "third")]
    line = line_of(rolled.dossier, "TCHC")
    assert line.amount == 2_000_000 and line.individual_quota == 1 and line.rank is None


def test_the_ladder_never_gives_more_than_five_prizes(rolled):
    bgd_like = Unit.objects.create(code="KT", name="Phòng Kiểm tra", kind=Unit.Kind.DEPARTMENT, order=9)
    for unit in (rolled.tchc, rolled.khtc, bgd_like):
        nominate(rolled, unit)
    assert prizes(rolled.dossier) == [
        ("AAA", "first"), ("BBB", "second"), ("CCC", "third"), ("TCHC", "third"), ("KHTC", "third"),
    ]
    assert Nomination.objects.filter(period=rolled.period1).count() == 3  # KT waits, unprized


def test_campaign_quotas_set_the_ladder(awards_cast):
    set_level(awards_cast.campaign, "third", count=1)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    awards_cast.dossier = Dossier.objects.get(period=awards_cast.period1)
    nominate(awards_cast, awards_cast.tchc)
    assert prizes(awards_cast.dossier) == [("AAA", "first"), ("BBB", "second"), ("CCC", "third")]


def test_a_nomination_needs_a_reason(rolled):
    with pytest.raises(ValidationError, match="lý do"):
        nominate(rolled, rolled.tchc, reason="  ")
    assert not Nomination.objects.exists()


def test_a_local_office_cannot_be_nominated_as_a_department(rolled):
    with pytest.raises(ValidationError, match="xếp hạng"):
        nominate(rolled, rolled.office_a)


def test_a_department_is_nominated_once(rolled):
    nominate(rolled, rolled.tchc)
    with pytest.raises(ValidationError, match="đã được đề nghị"):
        nominate(rolled, rolled.tchc)


def test_collection_department_may_be_nominated_when_the_province_meets_c1_to_c3(rolled):
    assert rolled.dossier.snapshot.document["province"]["eligible"]
    nominate(rolled, rolled.qlt)
    assert ("QLT", "third") in prizes(rolled.dossier)


def test_collection_department_is_refused_when_the_province_falls_short(cast, make_report):
    report_period(cast, make_report, cast.period1, province=False)  # totals miss C1
    period_rollup(period=cast.period1, user=cast.compiler)
    cast.dossier = Dossier.objects.get(period=cast.period1)
    assert not cast.dossier.snapshot.document["province"]["eligible"]
    with pytest.raises(ValidationError, match="số liệu toàn tỉnh đạt đủ ba tiêu chí"):
        nominate(cast, cast.qlt)
    assert not Nomination.objects.exists()


def test_reordering_departments_moves_their_prizes(rolled):
    dept = Unit.objects.create(code="KT", name="Phòng Kiểm tra", kind=Unit.Kind.DEPARTMENT, order=9)
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_c, reason="Đang bị thanh tra")
    first = nominate(rolled, rolled.tchc)
    second = nominate(rolled, rolled.khtc)
    nominate(rolled, dept)
    assert prizes(rolled.dossier)[2:] == [("TCHC", "third"), ("KHTC", "third"), ("KT", "third")]
    services.nomination_move(user=rolled.compiler, dossier=rolled.dossier, nomination=second, up=True,
                             reason="KHTC bảo đảm kinh phí sớm hơn")
    assert prizes(rolled.dossier)[2:] == [("KHTC", "third"), ("TCHC", "third"), ("KT", "third")]
    change = DossierChange.objects.filter(action=DossierChange.Action.REORDER).get()
    assert change.reason == "KHTC bảo đảm kinh phí sớm hơn" and change.actor == rolled.compiler
    assert [x["unit"] for x in change.lines_after][2:] == ["KHTC", "TCHC", "KT"]
    first.refresh_from_db()
    assert first.order == 1


def test_reorder_needs_a_reason_and_the_full_list(rolled):
    a = nominate(rolled, rolled.tchc)
    b = nominate(rolled, rolled.khtc)
    with pytest.raises(ValidationError, match="lý do"):
        services.nomination_reorder(user=rolled.compiler, dossier=rolled.dossier, nomination_ids=[b.pk, a.pk], reason="")
    with pytest.raises(ValidationError, match="tải lại"):
        services.nomination_reorder(user=rolled.compiler, dossier=rolled.dossier, nomination_ids=[b.pk], reason="x")


def test_dropping_a_ranked_office_moves_the_others_up_and_keeps_the_reason(rolled):
    nominate(rolled, rolled.tchc)
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a,
                            reason="Đơn vị đang bị kiểm tra")
    assert prizes(rolled.dossier) == [("BBB", "first"), ("CCC", "second"), ("TCHC", "third")]
    assert line_of(rolled.dossier, "BBB").amount == 5_000_000
    assert Exclusion.objects.get(dossier=rolled.dossier).reason == "Đơn vị đang bị kiểm tra"
    change = rolled.dossier.changes.get(action=DossierChange.Action.DROP)
    assert change.unit == rolled.office_a and change.actor == rolled.compiler and change.at


def test_a_unit_dropped_with_its_individuals_logs_each_of_them_and_names_them(rolled):
    full_dossier(rolled)
    nominees = [i.person.full_name for i in line_of(rolled.dossier, "AAA").individuals.order_by("slot")]
    removed = services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier,
                                      unit=rolled.office_a, reason="Đơn vị đang bị kiểm tra")
    assert sorted(removed) == sorted(nominees) and len(removed) == 3
    entries = rolled.dossier.changes.filter(action=DossierChange.Action.REMOVE_INDIVIDUAL)
    assert sorted(e.person.full_name for e in entries) == sorted(nominees)
    assert all(e.unit == rolled.office_a and e.actor == rolled.compiler for e in entries)
    assert entries.first().reason == ("BHXH cơ sở A không còn giải tập thể sau thao tác "
                                      "«bỏ khỏi danh sách»: Đơn vị đang bị kiểm tra")
    # The others keep theirs.
    assert line_of(rolled.dossier, "BBB").individuals.count() == 2


def test_dropping_a_department_withdraws_its_nomination(rolled):
    nominate(rolled, rolled.tchc)
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.tchc, reason="Rút đề nghị")
    assert not Nomination.objects.exists()
    assert "TCHC" not in [code for code, _ in prizes(rolled.dossier)]


def test_a_restored_office_returns_to_its_rank(rolled):
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a, reason="Chờ xác minh")
    services.candidate_restore(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a, reason="Đã xác minh")
    assert prizes(rolled.dossier) == [("AAA", "first"), ("BBB", "second"), ("CCC", "third")]
    assert [c.action for c in rolled.dossier.changes.order_by("at", "id")] == ["drop", "restore"]


def test_a_drop_needs_a_reason_and_a_candidate(rolled):
    with pytest.raises(ValidationError, match="lý do"):
        services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a, reason="")
    with pytest.raises(ValidationError, match="không có trong danh sách"):
        services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.khtc, reason="x")


def test_a_change_that_would_leave_too_many_individuals_is_refused(rolled):
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a, reason="Chờ xác minh")
    bbb = line_of(rolled.dossier, "BBB")  # now first prize: 3 places
    for person in rolled.people["BBB"][:3]:
        services.individual_add(user=rolled.compiler, line=bbb, person=person, achievement="Thu nợ đọng")
    with pytest.raises(ValidationError, match="bỏ bớt cá nhân"):
        services.candidate_restore(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a,
                                   reason="Đã xác minh")
    assert prizes(rolled.dossier)[0] == ("BBB", "first")


def test_individuals_follow_their_collective_when_its_prize_changes(rolled):
    ccc = line_of(rolled.dossier, "CCC")
    services.individual_add(user=rolled.compiler, line=ccc, person=rolled.people["CCC"][0], achievement="Thu nợ")
    services.candidate_drop(user=rolled.compiler, dossier=rolled.dossier, unit=rolled.office_a, reason="Chờ xác minh")
    ccc.refresh_from_db()
    assert ccc.prize == "second" and ccc.individual_quota == 2
    individual = ccc.individuals.get()
    assert (individual.slot, individual.quota) == (1, 2)


@pytest.mark.parametrize("who", ["staff_a", "appraiser", "director", "finance"])
def test_only_the_compiler_changes_the_proposal(rolled, who):
    with pytest.raises(PermissionDenied):
        services.nomination_create(user=getattr(rolled, who), dossier=rolled.dossier, unit=rolled.tchc, reason="x")
    with pytest.raises(PermissionDenied):
        services.candidate_drop(user=getattr(rolled, who), dossier=rolled.dossier, unit=rolled.office_a, reason="x")
    assert not Nomination.objects.exists() and not Exclusion.objects.exists()


@pytest.mark.parametrize("state", [Dossier.State.SUBMITTED, Dossier.State.APPRAISED, Dossier.State.APPROVED,
                                   Dossier.State.PAID, Dossier.State.CANCELLED])
def test_the_proposal_is_frozen_outside_draft_and_returned(rolled, state):
    set_state(rolled.dossier, state)
    with pytest.raises(ValidationError, match="chỉ sửa được"):
        nominate(rolled, rolled.tchc)
    assert not Nomination.objects.exists()


def test_the_compiler_edits_again_after_a_return(rolled):
    advance(rolled, rolled.dossier, Dossier.State.RETURNED)
    nominate(rolled, rolled.tchc)
    assert ("TCHC", "third") in prizes(rolled.dossier)


def test_the_directorate_is_not_a_department_to_nominate(rolled):
    from awards.selectors import nominable_departments

    bgd = Unit.objects.get(code="BGD")
    with pytest.raises(ValidationError) as refused:
        nominate(rolled, bgd)
    assert "phê duyệt khen thưởng" in str(refused.value)
    assert not Nomination.objects.filter(unit=bgd).exists()
    assert "BGD" not in {u.code for u in nominable_departments(rolled.dossier)}
    assert "TCHC" in {u.code for u in nominable_departments(rolled.dossier)}
