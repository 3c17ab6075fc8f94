"""Migrations 0006–0007: a campaign's first / second / third prize fields become its ladder's
rows, and the fields go; backwards, the rows give the fields back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaign.models import Campaign

BEFORE = [("campaign", "0005_import_cancelled")]
AFTER = [("campaign", "0007_ladder_only")]


@pytest.mark.django_db(transaction=True)
def test_the_old_prize_fields_become_the_ladder_and_come_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        pk = old.get_model("campaign", "Campaign").objects.create(
            code="OLD", name="Cũ", year=2025, launch_date=dt.date(2025, 10, 1),
            end_date=dt.date(2025, 12, 31), first_prize_amount=6_000_000, third_prize_quota=2,
            second_prize_individuals=1,
        ).pk

        MigrationExecutor(connection).migrate(AFTER)
        levels = [(p.position, p.key, p.name, p.count, p.amount, p.individuals)
                  for p in Campaign.objects.get(pk=pk).prize_levels.order_by("position")]
        assert levels == [
            (1, "first", "Giải Nhất", 1, 6_000_000, 3),
            (2, "second", "Giải Nhì", 1, 3_000_000, 1),
            (3, "third", "Giải Ba", 2, 2_000_000, 1),
        ]

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        row = executor.loader.project_state(BEFORE).apps.get_model("campaign", "Campaign").objects.get(pk=pk)
        assert (row.first_prize_amount, row.third_prize_quota, row.second_prize_individuals) == (6_000_000, 2, 1)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
