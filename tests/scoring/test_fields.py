import orjson
import pytest
from django.core.exceptions import FieldError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from scoring.fields import pack, unpack
from scoring.models import Snapshot


@pytest.fixture
def stored(cast):
    def _store(document):
        snapshot = Snapshot.objects.create(
            period=cast.period1, trigger=Snapshot.Trigger.COMMAND, rules_version="test",
            applied_settings={}, inputs={"units": []}, document=document,
        )
        return Snapshot.objects.get(pk=snapshot.pk)
    return _store


def test_a_snapshot_document_reads_back_exactly_as_written(stored):
    document = {
        "standings": [{"unit": "DXU", "name": "BHXH cơ sở Đồng Xuân", "rank": 1, "eligible": True,
                       "rate": "81.0", "missing": None, "revenue": 543_892_040_000_000}],
        "awards": [], "nested": {"empty": {}, "list": [[], [0, -1]]},
    }
    assert stored(document).document == document


def test_reading_a_snapshot_without_its_inputs_still_reads_the_document(stored):
    snapshot = stored({"standings": []})
    again = Snapshot.objects.defer("inputs").get(pk=snapshot.pk)
    assert again.document == {"standings": []}
    assert again.inputs == {"units": []}  # deferred, loaded on access


def test_a_value_json_cannot_hold_is_refused_rather_than_stored_otherwise(cast):
    with pytest.raises(TypeError), transaction.atomic():
        Snapshot.objects.create(
            period=cast.period1, trigger=Snapshot.Trigger.COMMAND, rules_version="test",
            applied_settings={}, inputs={}, document={"when": object()},
        )
    assert not Snapshot.objects.exists()


def test_a_snapshot_is_stored_as_compressed_bytes_a_fraction_of_its_json(stored):
    document = {"standings": [{"unit": f"U{i:04}", "explanation": "Đạt cả ba tiêu chí"} for i in range(500)]}
    snapshot = stored(document)
    with connection.cursor() as cursor:
        cursor.execute("SELECT document FROM scoring_snapshot WHERE id = %s", [snapshot.pk])
        (raw,) = cursor.fetchone()
    assert bytes(raw) == pack(document)
    assert unpack(bytes(raw)) == document
    assert len(raw) * 5 < len(orjson.dumps(document))


def test_no_key_lookup_reaches_into_the_compressed_bytes(stored):
    stored({"standings": []})
    with pytest.raises(FieldError):
        Snapshot.objects.filter(document__standings=[]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column types of PostgreSQL")
@pytest.mark.django_db
def test_snapshots_are_bytea_that_postgresql_does_not_compress_again():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod), attstorage FROM pg_attribute "
            "WHERE attrelid = 'scoring_snapshot'::regclass AND attname IN ('inputs', 'document') "
            "ORDER BY attname"
        )
        columns = cursor.fetchall()
    assert columns == [("document", "bytea", "e"), ("inputs", "bytea", "e")]


@pytest.mark.django_db(transaction=True)
def test_migrating_packs_the_snapshots_of_json_columns_and_unpacks_them_backwards(cast):
    """Migration 0004 on a database holding a snapshot written as JSON by 0003, and back."""
    before, after = [("scoring", "0003_snapshot_json_text")], [("scoring", "0004_snapshot_packed")]
    documents = {"inputs": {"units": [{"unit": "DXU", "report": [1, 2]}]},
                 "document": {"standings": [{"unit": "DXU", "name": "Đồng Xuân", "rank": 1}]}}
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_state = MigrationExecutor(connection).loader.project_state(before).apps
        OldSnapshot = old_state.get_model("scoring", "Snapshot")
        pk = OldSnapshot.objects.create(
            period_id=cast.period1.pk, trigger="command", rules_version="test",
            applied_settings={}, **documents,
        ).pk

        MigrationExecutor(connection).migrate(after)
        snapshot = Snapshot.objects.get(pk=pk)
        assert (snapshot.inputs, snapshot.document) == (documents["inputs"], documents["document"])

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old_state = executor.loader.project_state(before).apps
        row = old_state.get_model("scoring", "Snapshot").objects.get(pk=pk)
        assert (row.inputs, row.document) == (documents["inputs"], documents["document"])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
