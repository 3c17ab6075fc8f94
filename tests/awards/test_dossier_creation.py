"""The roll-up makes the period's draft dossier; a reopen cancels it; an approved one blocks it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from awards.models import AwardLine, Dossier, DossierEvent
from scoring.models import Nomination, Snapshot
from scoring.services import period_reopen, period_rollup

from .conftest import advance, full_dossier


def test_rollup_makes_a_draft_dossier_with_the_snapshots_prizes(rolled):
    dossier = rolled.dossier
    assert dossier.state == Dossier.State.DRAFT
    assert dossier.snapshot == Snapshot.objects.get(period=rolled.period1)
    lines = [(line.position, line.unit.code, line.prize, line.amount, line.individual_quota, line.rank)
             for line in dossier.lines.all()]
    assert lines == [
        (1, "AAA", "first", 5_000_000, 3, 1),
        (2, "BBB", "second", 3_000_000, 2, 2),
        (3, "CCC", "third", 2_000_000, 1, 3),
    ]
    event = dossier.events.get()
    assert event.action == DossierEvent.Action.CREATED and event.actor == rolled.compiler


def test_repeated_rollup_makes_no_second_dossier(rolled):
    again, created = period_rollup(period=rolled.period1, trigger="command")
    assert not created
    assert Dossier.objects.filter(period=rolled.period1).count() == 1


def test_database_refuses_two_current_dossiers_for_a_period(rolled):
    snapshot = rolled.dossier.snapshot
    other = Snapshot.objects.create(
        period=rolled.period1, trigger=Snapshot.Trigger.MANUAL, rules_version="x",
        applied_settings={}, inputs={}, document={}, superseded_at=snapshot.created_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.create(period=rolled.period1, snapshot=other)


def test_nominations_made_before_the_rollup_are_in_the_first_proposal(awards_cast):
    Nomination.objects.create(period=awards_cast.period1, unit=awards_cast.tchc, reason="Tham mưu tốt",
                              order=0, created_by=awards_cast.compiler)
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    dossier = Dossier.objects.get(period=awards_cast.period1)
    assert [(line.unit.code, line.prize) for line in dossier.lines.all()] == [
        ("AAA", "first"), ("BBB", "second"), ("CCC", "third"), ("TCHC", "third"),
    ]


def test_reopen_cancels_the_open_dossier_keeping_it_with_the_reason(rolled):
    period_reopen(period=rolled.period1, user=rolled.compiler, reason="BBB sửa số thu")
    dossier = rolled.dossier
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.CANCELLED
    assert dossier.cancelled_reason == "BBB sửa số thu" and dossier.cancelled_by == rolled.compiler
    assert dossier.events.last().action == DossierEvent.Action.CANCELLED
    assert dossier.lines.count() == 3  # kept as it was


def test_the_next_rollup_after_a_reopen_makes_a_new_dossier(rolled):
    period_reopen(period=rolled.period1, user=rolled.compiler, reason="Sửa số liệu")
    period_rollup(period=rolled.period1, user=rolled.compiler)
    dossiers = Dossier.objects.filter(period=rolled.period1).order_by("id")
    assert [d.state for d in dossiers] == [Dossier.State.CANCELLED, Dossier.State.DRAFT]
    assert dossiers[1].snapshot.is_current


@pytest.mark.parametrize("state", [Dossier.State.SUBMITTED, Dossier.State.RETURNED, Dossier.State.APPRAISED])
def test_reopen_cancels_a_dossier_in_progress(rolled, state):
    advance(rolled, rolled.dossier, state)
    period_reopen(period=rolled.period1, user=rolled.compiler, reason="Sai số liệu")
    rolled.dossier.refresh_from_db()
    assert rolled.dossier.state == Dossier.State.CANCELLED


@pytest.mark.parametrize("state", [Dossier.State.APPROVED, Dossier.State.PAID])
def test_reopen_is_refused_once_the_dossier_is_approved_and_nothing_changes(rolled, state):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, state)
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        period_reopen(period=rolled.period1, user=rolled.compiler, reason="Sửa số liệu")
    rolled.period1.refresh_from_db()
    rolled.dossier.refresh_from_db()
    assert rolled.period1.is_locked
    assert rolled.dossier.state == state
    assert Snapshot.objects.get(period=rolled.period1).is_current


def test_a_rollup_with_no_eligible_unit_makes_an_empty_dossier(cast):
    # No reports at all: the roll-up still stores standings, with no prizes.
    period_rollup(period=cast.period1, user=cast.compiler)
    dossier = Dossier.objects.get(period=cast.period1)
    assert not AwardLine.objects.filter(dossier=dossier).exists()
