import pytest
from django.db import connection, transaction

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="column types of PostgreSQL")
@pytest.mark.django_db
def test_snapshots_are_stored_as_json_text_compressed_with_lz4_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod), attcompression FROM pg_attribute "
            "WHERE attrelid = 'scoring_snapshot'::regclass AND attname IN ('inputs', 'document') "
            "ORDER BY attname"
        )
        columns = cursor.fetchall()
    assert columns == [("document", "json", "l"), ("inputs", "json", "l")]
