"""Migrations 0004–0006: a dossier's one-entry payment (one day, one voucher for the whole
decision) becomes a payment of each of its collectives and persons, with that day, that voucher,
the decided amount, and who made the entry and when; backwards, the entry comes back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from awards.models import Dossier, Payment

from .conftest import advance, full_dossier

BEFORE = [("awards", "0003_prize_name")]
AFTER = [("awards", "0006_remove_lump_payment")]
ENTERED_AT = timezone.make_aware(dt.datetime(2025, 11, 10, 15, 30))


@pytest.mark.django_db(transaction=True)
def test_the_lump_payment_becomes_a_payment_of_each_recipient_and_comes_back(rolled):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)  # 5 collectives, 8 persons
    pk = rolled.dossier.pk
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        old.get_model("awards", "Dossier").objects.filter(pk=pk).update(
            state="paid", paid_on=dt.date(2025, 11, 10), payment_reference="UNC 45 ngày 10/11/2025")
        event = old.get_model("awards", "DossierEvent").objects.create(
            dossier_id=pk, action="paid", from_state="approved", to_state="paid", actor_id=rolled.finance.pk)
        old.get_model("awards", "DossierEvent").objects.filter(pk=event.pk).update(at=ENTERED_AT)

        MigrationExecutor(connection).migrate(AFTER)
        dossier = Dossier.objects.get(pk=pk)
        payments = Payment.objects.order_by("pk")
        assert dossier.state == Dossier.State.PAID
        assert payments.count() == 13
        assert sorted(p.line.unit.code for p in payments if p.line_id) == sorted(
            dossier.lines.values_list("unit__code", flat=True))
        assert {p.individual_id for p in payments if p.individual_id} == set(
            dossier.lines.values_list("individuals", flat=True))
        assert all(p.amount == (p.line or p.individual).amount for p in payments)
        assert sum(p.amount for p in payments) == 18_000_000
        assert {(p.paid_on, p.voucher, p.recorded_by_id, p.recorded_at, p.cancelled_at) for p in payments} == {
            (dt.date(2025, 11, 10), "UNC 45 ngày 10/11/2025", rolled.finance.pk, ENTERED_AT, None)}

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("awards", "Dossier").objects.get(pk=pk)
        assert (back.state, back.paid_on, back.payment_reference) == (
            "paid", dt.date(2025, 11, 10), "UNC 45 ngày 10/11/2025")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_dossier_not_paid_gets_no_payment(rolled):
    advance(rolled, rolled.dossier, Dossier.State.APPROVED)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        MigrationExecutor(connection).migrate(AFTER)
        assert not Payment.objects.exists()
        assert Dossier.objects.get(pk=rolled.dossier.pk).state == Dossier.State.APPROVED
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
