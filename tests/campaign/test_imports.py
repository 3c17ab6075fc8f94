"""The import services: preview, every error class, all-or-nothing, audit, permissions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from campaign import xlsx
from campaign.exports import template_build
from campaign.import_preview import (
    CHANGED,
    NEW,
    UNCHANGED,
    ImportPreview,
    ImportRefused,
    UnitLine,
    import_parse,
)
from campaign.imports import (
    import_batch_preview,
    import_results_apply,
    import_targets_apply,
    import_upload,
)
from campaign.models import ImportBatch, Period, Report, ReportEvent, Target
from units.models import Unit

from . import excel_factories as f

R = xlsx.RESULTS
T = xlsx.TARGETS
RESULT_FIELDS = [c.field for c in xlsx.RESULT_COLUMNS]
TARGET_FIELDS = [c.field for c in xlsx.TARGET_COLUMNS]


def figures(**overrides) -> dict:
    return dict(zip(RESULT_FIELDS, f.result_values(**overrides), strict=True))


def results_file(cast, rows: dict[str, dict]) -> bytes:
    template = template_build(kind=R, campaign=cast.campaign, period=cast.period1)
    return f.fill(template, {code: f.labelled(R, values) for code, values in rows.items()})


def parse(cast, data: bytes, kind: str = R, period=None):
    return import_parse(kind=kind, campaign=cast.campaign,
                        period=(period or cast.period1) if kind == R else None, data=data,
                        file_name="ket-qua.xlsx")


def upload_and_apply(cast, data: bytes, user=None, kind: str = R):
    batch, preview = import_upload(
        user=user or cast.compiler, kind=kind, campaign=cast.campaign,
        period=cast.period1 if kind == R else None, upload=data, file_name="tep.xlsx",
    )
    assert preview.ok, [str(e) for e in preview.errors]
    apply = import_results_apply if kind == R else import_targets_apply
    return batch, apply(batch=batch, user=user or cast.compiler)


def only_error(preview) -> xlsx.CellError:
    assert len(preview.errors) == 1, [str(e) for e in preview.errors]
    return preview.errors[0]


def snapshot():
    """Every stored figure and status, to prove a refused import changed nothing."""
    return (
        sorted(Report.objects.values_list("unit__code", "status", "source", *RESULT_FIELDS)),
        sorted(Target.objects.values_list("unit__code", *TARGET_FIELDS)),
        ReportEvent.objects.count(),
    )


# --- round trip -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_results_template_filled_imported_and_read_back(cast):
    wanted = {
        "AAA": figures(),
        "BBB": figures(mandatory_actual=9_100, revenue=1_234_567_890_123, nonpublic_revenue=0),
        "QLT": figures(health_actual=300_000, late=0, late_interest=0),
    }
    batch, applied = upload_and_apply(cast, results_file(cast, wanted))
    assert applied.new_count == 3
    for code, values in wanted.items():
        report = Report.objects.get(period=cast.period1, unit__code=code)
        assert {name: getattr(report, name) for name in RESULT_FIELDS} == values
    assert not Report.objects.filter(unit__code="CCC").exists()  # its row was left empty
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and batch.row_count == 3


@pytest.mark.django_db
def test_round_trip_targets_with_percent_text_and_percent_cells(cast):
    template = template_build(kind=T, campaign=cast.campaign)
    values = dict(zip(TARGET_FIELDS, f.target_values(late_max="12,5"), strict=True))
    data = f.fill(template, {
        "AAA": f.labelled(T, values),
        "BBB": f.labelled(T, values | {"late_max": 0.035, "revenue_plan": "1.234.567"}),
    }, formats={"Trần tỷ lệ chậm đóng (%)": "0.0%"})
    upload_and_apply(cast, data, kind=T)
    a = Target.objects.get(campaign=cast.campaign, unit=cast.office_a)
    b = Target.objects.get(campaign=cast.campaign, unit=cast.office_b)
    assert a.late_max == Decimal("12.5") and a.revenue_plan == 265_000_000_000
    assert a.updated_by == cast.compiler
    assert b.late_max == Decimal("3.5") and b.revenue_plan == 1_234_567


# --- preview ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preview_shows_new_changed_and_unchanged(cast, make_report):
    make_report(cast.period1, cast.office_a)  # submitted, same figures as the file
    make_report(cast.period1, cast.office_b, revenue=1_000_000_000_000)
    preview = parse(cast, results_file(cast, {"AAA": figures(), "BBB": figures(), "CCC": figures()}))
    states = {line.unit.code: line for line in preview.lines}
    assert states["AAA"].state == UNCHANGED
    assert states["BBB"].state == CHANGED
    assert [(c.label, c.old, c.new) for c in states["BBB"].changes] == [
        ("Số thu lũy kế (đồng)", 1_000_000_000_000, 230_000_000_000)
    ]
    assert states["CCC"].state == NEW
    assert [u.code for u in preview.missing_units] == ["QLT"]
    assert (preview.new_count, preview.changed_count, preview.unchanged_count) == (1, 1, 1)


@pytest.mark.django_db
def test_same_figures_over_a_draft_is_a_change_because_it_submits(cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT)
    line = parse(cast, results_file(cast, {"AAA": figures()})).lines[0]
    assert line.state == CHANGED and line.status_change.new == "Đã gửi"


# --- imported results are submitted reports -------------------------------------------------


@pytest.mark.django_db
def test_imported_results_are_submitted_by_the_importer_from_the_file(cast, make_report):
    make_report(cast.period1, cast.office_b, status=Report.Status.DRAFT, revenue=300_000_000_000)
    batch, _ = upload_and_apply(cast, results_file(cast, {"AAA": figures(), "BBB": figures()}))
    for unit in (cast.office_a, cast.office_b):
        report = Report.objects.get(period=cast.period1, unit=unit)
        assert report.status == Report.Status.SUBMITTED and report.submitted_at is not None
        assert report.submitted_by == cast.compiler and report.updated_by == cast.compiler
        assert report.source == Report.Source.IMPORT and report.import_batch == batch
        event = report.events.get(action=ReportEvent.Action.IMPORTED)
        assert event.actor == cast.compiler and "tep.xlsx" in event.note


@pytest.mark.django_db
def test_reimporting_the_same_file_leaves_submitted_reports_untouched(cast):
    data = results_file(cast, {"AAA": figures()})
    upload_and_apply(cast, data)
    first = Report.objects.get(unit=cast.office_a)
    _, again = upload_and_apply(cast, data)
    assert again.unchanged_count == 1
    second = Report.objects.get(unit=cast.office_a)
    assert second.submitted_at == first.submitted_at and second.import_batch_id == first.import_batch_id
    assert second.events.count() == 1


@pytest.mark.django_db
def test_the_uploaded_file_is_kept_with_its_hash(cast):
    data = results_file(cast, {"AAA": figures()})
    batch, _ = upload_and_apply(cast, data)
    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        assert handle.read() == data
    assert batch.sha256 == xlsx.sha256(data) and batch.original_name == "tep.xlsx"
    assert batch.uploaded_by == cast.compiler


# --- one test per error class -------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_unit_code(cast):
    data = f.results_sheet([["ZZZ", "Không có", *f.result_values()]])
    error = only_error(parse(cast, data))
    assert (error.row, error.column, error.header) == (2, "A", "Mã đơn vị")
    assert "ZZZ" in error.message and "không có trong danh mục" in error.message


@pytest.mark.django_db
def test_duplicate_unit_code(cast):
    data = f.results_sheet([["AAA", "A", *f.result_values()], ["AAA", "A", *f.result_values()]])
    error = only_error(parse(cast, data))
    assert (error.row, error.column) == (3, "A") and "trùng" in error.message and "dòng 2" in error.message


@pytest.mark.django_db
def test_unit_that_does_not_report_figures(cast):
    Unit.objects.create(code="OLD", name="BHXH cũ", kind=Unit.Kind.LOCAL_OFFICE, active=False)
    data = f.results_sheet([["TCHC", "", *f.result_values()], ["OLD", "", *f.result_values()]])
    errors = parse(cast, data).errors
    assert [(e.row, e.column) for e in errors] == [(2, "A"), (3, "A")]
    assert all("không phải đơn vị báo cáo" in e.message for e in errors)


@pytest.mark.django_db
def test_empty_cell_in_a_filled_row(cast):
    values = f.result_values()
    values[4] = None  # the fifth figure, column G
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *values]])))
    assert (error.row, error.column, error.header) == (2, "G", "BHXH tự nguyện cùng kỳ")
    assert "trống" in error.message


@pytest.mark.django_db
def test_partially_filled_row(cast):
    values = [9_000, 3_600] + [None] * 9
    preview = parse(cast, f.results_sheet([["AAA", "A", *values]]))
    assert [e.column for e in preview.errors] == list("EFGHIJKLM")
    assert not preview.lines


@pytest.mark.django_db
def test_fully_empty_row_is_skipped(cast):
    preview = parse(cast, f.results_sheet([["AAA", "A"], ["BBB", "B", *f.result_values()]]))
    assert preview.ok and preview.skipped_rows == [2] and [line.unit.code for line in preview.lines] == ["BBB"]


@pytest.mark.django_db
def test_file_with_every_row_empty_is_refused(cast):
    error = only_error(parse(cast, results_file(cast, {})))
    assert "không có dòng số liệu" in error.message


@pytest.mark.django_db
def test_figures_without_a_unit_code(cast):
    error = only_error(parse(cast, f.results_sheet([[None, "Ai đó", *f.result_values()]])))
    assert (error.row, error.column) == (2, "A") and "Thiếu mã đơn vị" in error.message


@pytest.mark.django_db
def test_non_numeric_cell(cast):
    values = f.result_values()
    values[0] = "chín nghìn"
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *values]])))
    assert (error.row, error.column, error.header) == (2, "C", "BHXH bắt buộc")
    assert "Không phải là số" in error.message


@pytest.mark.django_db
def test_numbers_typed_as_text_are_read_as_numbers(cast):
    values = f.result_values(revenue="230.000.000.000", due="240,000,000,000", health_actual="95000")
    preview = parse(cast, f.results_sheet([["AAA", "A", *values]]))
    assert preview.ok
    line = preview.lines[0].values
    assert (line["revenue"], line["due"], line["health_actual"]) == (230_000_000_000, 240_000_000_000, 95_000)


@pytest.mark.django_db
def test_negative_value(cast):
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *f.result_values(late=-5)]])))
    assert (error.column, error.header) == ("L", "Số tiền chậm đóng (đồng)") and "âm" in error.message


@pytest.mark.django_db
def test_non_public_revenue_above_revenue(cast):
    values = f.result_values(revenue=100, nonpublic_revenue=101)
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *values]])))
    assert (error.row, error.column) == (2, "J") and "không được lớn hơn số thu lũy kế" in error.message


@pytest.mark.django_db
def test_late_payments_above_the_amount_due(cast):
    values = f.result_values(due=1_000, late=1_000_000, late_interest=0)
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *values]])))
    assert error.column == "L" and error.message == "Số tiền chậm đóng không được lớn hơn số phải thu."


@pytest.mark.django_db
def test_interest_bearing_late_payments_above_late_payments(cast):
    values = f.result_values(late=100, late_interest=101)
    error = only_error(parse(cast, f.results_sheet([["AAA", "A", *values]])))
    assert (error.row, error.column) == (2, "M") and "chậm đóng phải tính lãi" in error.message


@pytest.mark.django_db
@pytest.mark.parametrize("value", [101, "100,01", -1])
def test_percentage_outside_0_100(cast, value):
    data = f.sheet_bytes([f.header(T), ["AAA", "A", *f.target_values(late_interest_max=value)]])
    error = only_error(parse(cast, data, kind=T))
    assert (error.row, error.column, error.header) == (2, "K", "Trần tỷ lệ chậm đóng phải tính lãi (%)")
    assert "0 đến 100" in error.message


@pytest.mark.django_db
def test_locked_period_refuses_results(cast):
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    cast.period1.refresh_from_db()
    error = only_error(parse(cast, results_file(cast, {"AAA": figures()})))
    assert "đã khóa sổ" in error.message and cast.period1.name in error.message


@pytest.mark.django_db
def test_every_error_is_reported_at_once(cast):
    rows = [
        ["ZZZ", "", *f.result_values()],
        ["AAA", "", *f.result_values(voluntary_actual="x")],
        ["BBB", "", *f.result_values(revenue=1, nonpublic_revenue=2)],
    ]
    preview = parse(cast, f.results_sheet(rows))
    assert {(e.row, e.column) for e in preview.errors} == {(2, "A"), (3, "D"), (4, "J")}


@pytest.mark.django_db
def test_file_from_another_period_template_gets_a_warning(cast):
    other = template_build(kind=R, campaign=cast.campaign, period=cast.periods[1])
    data = f.fill(other, {"AAA": f.labelled(R, figures())})
    preview = parse(cast, data)
    assert preview.ok and "kỳ 2" in preview.warnings[0]


# --- all or nothing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_bad_row_changes_nothing(cast, make_report):
    make_report(cast.period1, cast.office_a, revenue=1_000_000_000_000)
    before = snapshot()
    data = results_file(cast, {
        "AAA": figures(), "BBB": figures(), "CCC": figures(late=1, late_interest=2),
    })
    batch, preview = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign,
                                   period=cast.period1, upload=data, file_name="sai.xlsx")
    assert not preview.ok and batch.status == ImportBatch.Status.REFUSED
    with pytest.raises(ImportRefused):
        import_results_apply(batch=batch, user=cast.compiler)
    assert snapshot() == before
    assert Report.objects.count() == 1 and Report.objects.get().revenue == 1_000_000_000_000


@pytest.mark.django_db
def test_refused_file_is_kept_for_audit_with_its_errors(cast):
    data = f.results_sheet([["ZZZ", "", *f.result_values()]])
    batch, _ = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign,
                             period=cast.period1, upload=data, file_name="sai.xlsx")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.errors[0]["row"] == 2 and batch.errors[0]["column"] == "A"
    with batch.file.open("rb") as handle:
        assert handle.read() == data
    assert import_batch_preview(batch=batch).errors[0].row == 2


@pytest.mark.django_db
def test_hostile_file_is_kept_refused_and_writes_nothing_else(cast):
    before = snapshot()
    batch, preview = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign,
                                   period=cast.period1, upload=f.PDF_BYTES, file_name="bao-cao.xlsx")
    assert "PDF" in preview.errors[0].message and batch.status == ImportBatch.Status.REFUSED
    assert snapshot() == before


@pytest.mark.django_db
def test_confirm_revalidates_a_period_locked_after_the_preview(cast):
    batch, preview = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign,
                                   period=cast.period1, upload=results_file(cast, {"AAA": figures()}),
                                   file_name="tep.xlsx")
    assert preview.ok
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    before = snapshot()
    with pytest.raises(ImportRefused) as info:
        import_results_apply(batch=batch, user=cast.compiler)
    assert "đã khóa sổ" in info.value.errors[0].message
    assert snapshot() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED and "khóa sổ" in batch.errors[0]["message"]


@pytest.mark.django_db
def test_a_batch_is_applied_once(cast):
    batch, _ = upload_and_apply(cast, results_file(cast, {"AAA": figures()}))
    with pytest.raises(ImportRefused, match="không áp dụng lại"):
        import_results_apply(batch=batch, user=cast.compiler)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


@pytest.mark.django_db
def test_failure_while_writing_rolls_back_every_row(cast, monkeypatch):
    from campaign import imports

    batch, _ = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign, period=cast.period1,
                             upload=results_file(cast, {"AAA": figures(), "BBB": figures()}),
                             file_name="tep.xlsx")
    real_bulk_create = ReportEvent.objects.bulk_create

    def fail_after_writing(objs, **kwargs):
        real_bulk_create(objs[:1], **kwargs)  # the reports and the first event are written...
        raise RuntimeError("disk full")  # ...then the disk fills up

    monkeypatch.setattr(imports.ReportEvent.objects, "bulk_create", fail_after_writing)
    with pytest.raises(RuntimeError):
        import_results_apply(batch=batch, user=cast.compiler)
    assert Report.objects.count() == 0 and ReportEvent.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


# --- permissions ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff_a", "appraiser", "finance", "director"])
def test_only_the_compiler_may_import(cast, who):
    user = getattr(cast, who)
    data = results_file(cast, {"AAA": figures()})
    with pytest.raises(PermissionDenied):
        import_upload(user=user, kind=R, campaign=cast.campaign, period=cast.period1, upload=data)
    batch, _ = import_upload(user=cast.compiler, kind=R, campaign=cast.campaign,
                             period=cast.period1, upload=data)
    with pytest.raises(PermissionDenied):
        import_results_apply(batch=batch, user=user)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_superuser_may_import(cast):
    upload_and_apply(cast, results_file(cast, {"AAA": figures()}), user=cast.admin)
    assert Report.objects.get().submitted_by == cast.admin


@pytest.mark.django_db
def test_system_import_has_no_user(cast):
    batch, _ = import_upload(user=None, kind=T, campaign=cast.campaign,
                             upload=f.sheet_bytes([f.header(T), ["AAA", "", *f.target_values()]]),
                             system=True)
    import_targets_apply(batch=batch, user=None, system=True)
    assert Target.objects.get(unit=cast.office_a).mandatory_plan == 9_700
    assert ImportBatch.objects.get().uploaded_by is None


def test_summary_groups_thousands_with_dots(cast):
    preview = ImportPreview(kind=R, campaign=cast.campaign, period=cast.period1, row_count=3_453,
                            skipped_rows=list(range(1_200)))
    preview.lines = [UnitLine(unit=cast.office_a, row=n, state=state, values={})
                     for state, count in ((NEW, 2_400), (CHANGED, 1_050), (UNCHANGED, 3))
                     for n in range(count)]
    assert preview.summary() == (
        "Tệp kết quả thực hiện: 3.453 dòng số liệu; 2.400 mới, 1.050 thay đổi, 3 không đổi; "
        "1.200 dòng trống bỏ qua; 0 lỗi."
    )
    preview.errors = [xlsx.CellError("Không phải là số")] * 1_001
    assert preview.summary() == "Tệp kết quả thực hiện: 3.453 dòng số liệu; 1.001 lỗi."
