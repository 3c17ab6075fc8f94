"""Report.save_all, the one bulk write of reports (the results import), has the effects of
Report.save(): the same version, timestamps and history, for a new report and a changed one."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campaign.models import Report
from tests.conftest import report_figures


def _by_save(report):
    report.save()


def _by_save_all(report):
    Report.save_all([report])


def _effects(report: Report) -> dict:
    """What a save leaves behind, in terms two different reports can be compared by."""
    stored = Report.objects.get(pk=report.pk)
    history = list(stored.history.order_by("history_date", "history_id"))
    last = history[-1]
    return {
        "version": stored.version,
        "in_memory_version": report.version,
        "history_types": [h.history_type for h in history],
        "history_user": last.history_user,
        "history_reason": last.history_change_reason,
        "history_version": last.version,
        "history_health_actual": last.health_actual,
        "health_actual": stored.health_actual,
    }


@pytest.fixture
def two_drafts(cast, make_report):
    return (make_report(cast.period1, cast.office_a, status="draft"),
            make_report(cast.period1, cast.office_b, status="draft"))


def _change_both(reports, before):
    for report in reports:
        report.health_actual = 12_345
    saved, bulk = reports
    _by_save(saved)
    _by_save_all(bulk)
    after = timezone.now()
    for report in reports:
        stored = Report.objects.get(pk=report.pk)
        assert before <= stored.updated_at <= after
        assert before <= stored.history.latest("history_date").history_date <= after
    return _effects(saved), _effects(bulk)


def test_a_changed_report_gets_the_same_version_timestamps_and_history_either_way(two_drafts):
    before = timezone.now()
    by_save, by_save_all = _change_both(two_drafts, before)
    assert by_save == by_save_all
    assert by_save_all["version"] == by_save_all["in_memory_version"] == 2
    assert by_save_all["history_types"] == ["+", "~"]
    assert by_save_all["history_user"] is None  # outside a request, as save() records it
    assert by_save_all["history_version"] == 2 and by_save_all["history_health_actual"] == 12_345


def test_inside_a_request_both_paths_record_the_request_user_in_the_history(cast, two_drafts):
    request = RequestFactory().post("/")
    request.user = cast.compiler
    HistoricalRecords.context.request = request
    try:
        by_save, by_save_all = _change_both(two_drafts, timezone.now())
    finally:
        del HistoricalRecords.context.request
    assert by_save == by_save_all
    assert by_save_all["history_user"] == cast.compiler


def test_a_new_report_is_inserted_with_version_one_and_its_creation_in_the_history(cast):
    before = timezone.now()
    saved = Report(period=cast.period1, unit=cast.office_a, **report_figures())
    bulk = Report(period=cast.period1, unit=cast.office_b, **report_figures())
    _by_save(saved)
    _by_save_all(bulk)
    assert bulk.pk is not None
    assert _effects(saved) == _effects(bulk)
    assert _effects(bulk)["version"] == 1 and _effects(bulk)["history_types"] == ["+"]
    assert Report.objects.get(pk=bulk.pk).updated_at >= before


def test_new_and_changed_reports_together_each_get_their_own_effects(cast, make_report):
    changed = make_report(cast.period1, cast.office_a, status="draft")
    changed.health_actual = 7
    new = Report(period=cast.period1, unit=cast.office_b, **report_figures())
    Report.save_all([changed, new])
    assert Report.objects.get(pk=changed.pk).version == 2
    assert Report.objects.get(pk=changed.pk).health_actual == 7
    assert Report.objects.get(pk=new.pk).version == 1
    assert [h.history_type for h in changed.history.order_by("history_id")] == ["+", "~"]
    assert [h.history_type for h in new.history.all()] == ["+"]


def test_the_bulk_write_sends_as_many_statements_for_three_reports_as_for_one(cast, make_report):
    def statements(reports) -> int:
        for report in reports:
            report.health_actual += 1
        with CaptureQueriesContext(connection) as queries:
            Report.save_all(reports)
        return len(queries)

    one = [make_report(cast.period1, cast.office_a, status="draft")]
    three = [make_report(cast.periods[1], unit, status="draft")
             for unit in (cast.office_a, cast.office_b, cast.office_c)]
    assert statements(one) == statements(three)
