import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from campaign.models import Period, Report, ReportEvent
from campaign.services import NO_ROW_VERSION, report_return, report_save

from ..conftest import report_figures


def test_staff_saves_a_draft_of_their_own_unit(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)
    assert report.status == Report.Status.DRAFT
    assert report.updated_by == cast.staff_a
    assert report.events.get().action == ReportEvent.Action.SAVED


def test_staff_submits_and_the_submission_records_who_and_when(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), submit=True, expected_version=NO_ROW_VERSION)
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_by == cast.staff_a and report.submitted_at is not None


def test_staff_cannot_write_another_units_report(cast):
    with pytest.raises(Http404):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_b, data=report_figures(), expected_version=NO_ROW_VERSION)
    assert not Report.objects.exists()


def test_director_cannot_write_a_report(cast):
    with pytest.raises(PermissionDenied):
        report_save(user=cast.director, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)


def test_compiler_may_write_any_units_report(cast):
    report = report_save(user=cast.compiler, period=cast.period1, unit=cast.office_b, data=report_figures(), expected_version=NO_ROW_VERSION)
    assert report.unit == cast.office_b


def test_submitted_report_cannot_be_changed(cast):
    report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), submit=True, expected_version=NO_ROW_VERSION)
    with pytest.raises(ValidationError, match="trả lại"):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                    data=report_figures(revenue=1), expected_version=NO_ROW_VERSION)
    assert Report.objects.get().revenue == report_figures()["revenue"]


def test_locked_period_refuses_writes(cast):
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    cast.period1.refresh_from_db()
    with pytest.raises(ValidationError, match="khóa sổ"):
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)
    assert not Report.objects.exists()


def test_service_refuses_nonpublic_above_revenue(cast):
    with pytest.raises(ValidationError) as error:
        report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                    data=report_figures(revenue=10, nonpublic_revenue=11), expected_version=NO_ROW_VERSION)
    assert "nonpublic_revenue" in error.value.message_dict
    assert not Report.objects.exists()


def test_compiler_returns_a_submitted_report_with_a_reason(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), submit=True, expected_version=NO_ROW_VERSION)
    report = report_return(user=cast.compiler, report=report, reason="Sai số thu")
    assert report.status == Report.Status.DRAFT and report.submitted_at is None
    event = report.events.filter(action=ReportEvent.Action.RETURNED).get()
    assert event.note == "Sai số thu" and event.actor == cast.compiler


def test_return_needs_a_reason(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), submit=True, expected_version=NO_ROW_VERSION)
    with pytest.raises(ValidationError):
        report_return(user=cast.compiler, report=report, reason="  ")
    report.refresh_from_db()
    assert report.is_submitted


def test_staff_cannot_return_a_report(cast):
    report = report_save(user=cast.staff_a, period=cast.period1, unit=cast.office_a,
                         data=report_figures(), submit=True, expected_version=NO_ROW_VERSION)
    with pytest.raises(PermissionDenied):
        report_return(user=cast.staff_a, report=report, reason="x")
