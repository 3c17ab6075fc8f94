from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.services import period_rollup


def test_snapshot_list_does_not_load_the_stored_json(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    period_rollup(period=cast.period1, user=cast.compiler)
    client.force_login(cast.admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:scoring_snapshot_changelist"))
    assert page.status_code == 200 and "Tháng 10/2025" in page.content.decode()
    snapshot_reads = [q["sql"] for q in queries if 'FROM "scoring_snapshot"' in q["sql"]]
    assert snapshot_reads
    assert not any('"document"' in sql or '"inputs"' in sql for sql in snapshot_reads)


def test_one_snapshot_page_shows_its_standings(client, cast, make_report):
    make_report(cast.period1, cast.office_a)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    client.force_login(cast.admin)
    page = client.get(reverse("admin:scoring_snapshot_change", args=[snapshot.pk]))
    assert page.status_code == 200
    assert "AAA" in page.content.decode() and "standings" in page.content.decode()
