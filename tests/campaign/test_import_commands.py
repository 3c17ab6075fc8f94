"""The shell path: export_template, import_targets, import_results, export_reports."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from campaign import xlsx
from campaign.models import ImportBatch, Period, Report, ReportEvent, Target

from . import excel_factories as f

RESULT_FIELDS = [c.field for c in xlsx.RESULT_COLUMNS]
TARGET_FIELDS = [c.field for c in xlsx.TARGET_COLUMNS]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def everything():
    return (
        sorted(Report.objects.values_list("unit__code", "status", *RESULT_FIELDS)),
        sorted(Target.objects.values_list("unit__code", *TARGET_FIELDS)),
        ReportEvent.objects.count(), ImportBatch.objects.count(),
    )


def filled_results(tmp_path, cast, rows) -> str:
    template = tmp_path / "mau.xlsx"
    run("export_template", "results", "--campaign", cast.campaign.code, "--period", "1",
        "-o", str(template))
    path = tmp_path / "ket-qua.xlsx"
    path.write_bytes(f.fill(template.read_bytes(), rows))
    return str(path)


@pytest.mark.django_db
def test_export_fill_and_import_results_from_the_shell(tmp_path, cast):
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values),
                                            "QLT": f.labelled(xlsx.RESULTS, values)})
    out, _ = run("import_results", path, "--campaign", cast.campaign.code, "--period", "1",
                 "--user", "compiler")
    assert "2 mới" in out and "Đã nhập" in out
    report = Report.objects.get(unit=cast.office_a, period=cast.period1)
    assert {name: getattr(report, name) for name in RESULT_FIELDS} == values
    assert report.status == Report.Status.SUBMITTED and report.submitted_by == cast.compiler
    assert report.source == Report.Source.IMPORT
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.APPLIED and batch.original_name == "ket-qua.xlsx"


@pytest.mark.django_db
def test_import_without_user_records_none(tmp_path, cast):
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values)})
    run("import_results", path, "--campaign", cast.campaign.code, "--period", "1")
    report = Report.objects.get()
    assert report.submitted_by is None and report.events.get().actor is None


@pytest.mark.django_db
def test_import_targets_from_the_shell(tmp_path, cast):
    template = tmp_path / "mau.xlsx"
    run("export_template", "targets", "--campaign", cast.campaign.code, "-o", str(template))
    values = dict(zip(TARGET_FIELDS, f.target_values(), strict=True))
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(f.fill(template.read_bytes(), {"AAA": f.labelled(xlsx.TARGETS, values)}))
    out, _ = run("import_targets", str(path), "--campaign", cast.campaign.code)
    assert "1 thay đổi" in out
    assert Target.objects.get(unit=cast.office_a).mandatory_plan == 9_700


@pytest.mark.django_db
def test_changes_print_in_vietnamese_format_as_the_browser_preview_shows_them(tmp_path, cast):
    # The cast's targets: 9.500 people, 260.000.000.000 đồng, a 3,50 % ceiling.
    template = tmp_path / "mau.xlsx"
    run("export_template", "targets", "--campaign", cast.campaign.code, "-o", str(template))
    values = dict(zip(TARGET_FIELDS, f.target_values(
        revenue_plan=5_200_000_000, late_max=Decimal("4"),
    ), strict=True))
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(f.fill(template.read_bytes(), {"AAA": f.labelled(xlsx.TARGETS, values)}))
    out, _ = run("import_targets", str(path), "--campaign", cast.campaign.code, "--dry-run")
    line = next(text for text in out.splitlines() if text.strip().startswith("AAA"))
    assert "KH BHXH bắt buộc 9.500 → 9.700" in line
    assert "KH số thu (đồng) 260.000.000.000 → 5.200.000.000" in line
    assert "Trần tỷ lệ chậm đóng (%) 3,50 → 4,00" in line


@pytest.mark.django_db
def test_a_submitted_draft_prints_its_status_change_as_labels(tmp_path, cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT)
    values = dict(zip(RESULT_FIELDS, f.result_values(revenue=231_000_000_000), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values)})
    out, _ = run("import_results", path, "--campaign", cast.campaign.code, "--period", "1",
                 "--dry-run")
    line = next(text for text in out.splitlines() if text.strip().startswith("AAA"))
    assert "230.000.000.000 → 231.000.000.000" in line
    assert f"Trạng thái {Report.Status.DRAFT.label} → {Report.Status.SUBMITTED.label}" in line


@pytest.mark.django_db
def test_bad_cell_exits_non_zero_names_row_and_column_and_writes_nothing(tmp_path, cast, make_report):
    make_report(cast.period1, cast.office_b)
    good = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    path = filled_results(tmp_path, cast, {
        "AAA": f.labelled(xlsx.RESULTS, good),
        "BBB": f.labelled(xlsx.RESULTS, good | {"revenue": 1}),
        "CCC": f.labelled(xlsx.RESULTS, good | {"health_actual": "nhiều"}),
    })
    before = everything()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Không có gì được ghi"):
        call_command("import_results", path, "--campaign", cast.campaign.code, "--period", "1",
                     stdout=io.StringIO(), stderr=err)
    assert everything() == before
    messages = err.getvalue()
    # The template lists the collection department first (row 7), then AAA, BBB, CCC.
    bbb = messages.index("dòng 9, cột J (Số thu khối DN, HTX, ngoài công lập (đồng))")
    ccc = messages.index("dòng 10, cột E (BHYT): Không phải là số")
    assert bbb < ccc


@pytest.mark.django_db
@pytest.mark.parametrize("content", [f.XLS_BYTES, f.CSV_BYTES, f.PDF_BYTES, f.zip_bomb()])
def test_hostile_file_exits_non_zero_and_writes_nothing(tmp_path, cast, content):
    path = tmp_path / "tep.xlsx"
    path.write_bytes(content)
    before = everything()
    with pytest.raises(CommandError):
        run("import_results", str(path), "--campaign", cast.campaign.code, "--period", "1")
    assert everything() == before


@pytest.mark.django_db
def test_locked_period_exits_non_zero(tmp_path, cast):
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values)})
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.LOCKED)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_results", path, "--campaign", cast.campaign.code, "--period", "1",
                     stdout=io.StringIO(), stderr=err)
    assert "khóa sổ" in err.getvalue() and not Report.objects.exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, cast):
    values = dict(zip(RESULT_FIELDS, f.result_values(), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values)})
    out, _ = run("import_results", path, "--campaign", cast.campaign.code, "--period", "1",
                 "--dry-run")
    assert "1 mới" in out and not Report.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_arguments_are_checked(tmp_path, cast):
    with pytest.raises(CommandError, match="--period"):
        run("export_template", "results", "--campaign", cast.campaign.code, "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="Không có phong trào"):
        run("export_template", "targets", "--campaign", "NOPE", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="không có kỳ 9"):
        run("import_results", str(tmp_path / "x"), "--campaign", cast.campaign.code, "--period", "9")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("import_targets", str(tmp_path / "missing.xlsx"), "--campaign", cast.campaign.code)
    with pytest.raises(CommandError, match="Không có người dùng"):
        run("import_targets", str(tmp_path / "x"), "--campaign", cast.campaign.code, "--user", "ghost")


@pytest.mark.django_db
def test_export_reports_from_the_shell(tmp_path, cast, make_report):
    make_report(cast.period1, cast.office_a)
    path = tmp_path / "bao-cao.xlsx"
    run("export_reports", "--campaign", cast.campaign.code, "--period", "1", "-o", str(path))
    sheet = load_workbook(path).active
    codes = [sheet.cell(row=r, column=1).value for r in range(xlsx.FIRST_DATA_ROW, sheet.max_row + 1)]
    assert "AAA" in codes and sheet.cell(row=xlsx.HEADER_ROW, column=1).value == "Mã đơn vị"


@pytest.mark.django_db
def test_a_doubtful_figure_is_printed_with_row_and_column_and_imported_all_the_same(tmp_path, cast):
    values = dict(zip(RESULT_FIELDS, f.result_values(health_actual=2_800_000), strict=True))
    path = filled_results(tmp_path, cast, {"AAA": f.labelled(xlsx.RESULTS, values)})
    out, _ = run("import_results", path, "--campaign", cast.campaign.code, "--period", "1")
    line = next(text for text in out.splitlines() if "lớn hơn kế hoạch của cả tỉnh" in text)
    assert line.startswith("Cảnh báo số liệu – Trang tính") and "cột E (BHYT)" in line
    assert "AAA: Số người tham gia BHYT 2.800.000 người" in line
    assert Report.objects.get(unit=cast.office_a, period=cast.period1).health_actual == 2_800_000
