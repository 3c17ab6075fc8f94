from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaign.models import Period, Report, Target
from campaign.services import NO_ROW_VERSION, report_return, report_save, target_save
from scoring.models import Nomination, Snapshot
from scoring.rollup import stored_figures
from scoring.services import period_reopen, period_rollup

from ..conftest import report_figures, target_figures


@pytest.fixture
def three_reports(cast, make_report):
    # AAA: health (95.000-90.000)/10.000 = 50 % < 81 %: fails C1.
    make_report(cast.period1, cast.office_a)
    # BBB and CCC pass: every scheme at 90 % or more, revenue 92,3 %, late 2,5 %/1,25 %.
    strong = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "health_actual": 99_000,
              "revenue": 240_000_000_000}
    make_report(cast.period1, cast.office_b, **strong)
    make_report(cast.period1, cast.office_c, **(strong | {"health_actual": 99_500}))
    return cast


def test_rollup_locks_the_period_and_stores_the_standings(three_reports):
    cast = three_reports
    snapshot, created = period_rollup(period=cast.period1, user=cast.compiler)
    assert created
    cast.period1.refresh_from_db()
    assert cast.period1.is_locked
    ranked = [(r["unit"], r["rank"]) for r in snapshot.document["standings"]]
    assert ranked == [("CCC", 1), ("BBB", 2), ("AAA", None)]
    assert snapshot.document["standings"][2]["explanation"] == (
        "BHXH bắt buộc đạt 50,0 %, cần 81 %; BHXH tự nguyện đạt 60,0 %, cần 81 %; "
        "BHYT đạt 50,0 %, cần 81 %"
    )
    assert snapshot.rules_version and snapshot.applied_settings["participant_threshold"] == "81"
    assert [a["unit"] for a in snapshot.document["awards"]] == ["CCC", "BBB"]
    assert snapshot.document["awards"][0] == {
        "unit": "CCC", "name": "BHXH cơ sở C", "prize": "first", "prize_name": "Giải Nhất",
        "amount": 5_000_000, "individual_quota": 3,
    }


def test_rollup_again_gives_the_same_snapshot(three_reports):
    first, _ = period_rollup(period=three_reports.period1, user=three_reports.compiler)
    again, created = period_rollup(period=three_reports.period1, trigger="command")
    assert again.pk == first.pk and not created
    assert Snapshot.objects.count() == 1


def test_later_edits_never_change_a_snapshot(three_reports):
    cast = three_reports
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    before = snapshot.document
    # Every way a figure changes afterwards: a target (campaign-wide, open to edits), and a
    # report once the month is reopened, returned and saved again.
    target_save(user=cast.compiler, campaign=cast.campaign, unit=cast.office_c,
                data=target_figures(health_plan=1_000_000),
                expected_version=Target.objects.get(unit=cast.office_c).version)
    period_reopen(period=cast.period1, user=cast.compiler, reason="BBB sửa số liệu BHYT")
    report_return(user=cast.compiler, report=Report.objects.get(unit=cast.office_b), reason="Sai BHYT")
    report_save(user=cast.staff_b, period=cast.period1, unit=cast.office_b,
                data=report_figures(health_actual=0), submit=True,
                expected_version=Report.objects.get(unit=cast.office_b).version)
    assert Report.objects.get(unit=cast.office_b).health_actual == 0  # the edits happened
    snapshot.refresh_from_db()
    assert snapshot.document == before
    _, stored_report = stored_figures(snapshot.inputs, "BBB")
    assert stored_report.health.actual == 99_000
    stored_target, _ = stored_figures(snapshot.inputs, "CCC")
    assert stored_target.health.plan == 100_000


def test_the_stored_inputs_hold_each_units_target_and_report_as_rows_named_once(three_reports):
    snapshot, _ = period_rollup(period=three_reports.period1, user=three_reports.compiler)
    inputs = snapshot.inputs
    entry = next(u for u in inputs["units"] if u["unit"] == "BBB")
    report = dict(zip(inputs["report_columns"], entry["report"], strict=True))
    assert report["status"] == "submitted" and report["health_actual"] == 99_000
    target = dict(zip(inputs["target_columns"], entry["target"], strict=True))
    assert target["late_max"] == "3.50" and target["health_plan"] == 100_000


def test_stored_figures_read_snapshots_that_stored_objects_per_unit():
    # Snapshots made before November 2026 stored each target and report as an object.
    target = {"mandatory_plan": 10_000, "mandatory_base": 9_000, "voluntary_plan": 4_000,
              "voluntary_base": 3_500, "health_plan": 100_000, "health_base": 90_000,
              "revenue_plan": 260_000_000_000, "late_max": "3.50", "late_interest_max": "1.75"}
    report = {"status": "submitted", "mandatory_actual": 9_400, "mandatory_last_year": 9_100,
              "voluntary_actual": 3_900, "voluntary_last_year": 3_600, "health_actual": 99_000,
              "health_last_year": 95_000, "revenue": 240_000_000_000,
              "nonpublic_revenue": 60_000_000_000, "due": 200_000_000_000,
              "late": 5_000_000_000, "late_interest": 2_500_000_000}
    inputs = {"units": [{"unit": "BBB", "name": "B", "kind": "local_office",
                         "collection_department": False, "target": target, "report": report}]}
    stored_target, stored_report = stored_figures(inputs, "BBB")
    assert stored_target.late_max == Decimal("3.50") and stored_target.health.plan == 100_000
    assert stored_report.health.actual == 99_000 and stored_report.late_interest == 2_500_000_000
    assert stored_figures(inputs, "ZZZ") == (None, None)


def test_reopen_keeps_the_old_snapshot_marked_superseded_and_next_rollup_makes_a_new_one(three_reports):
    cast = three_reports
    old, _ = period_rollup(period=cast.period1, user=cast.compiler)
    period_reopen(period=cast.period1, user=cast.compiler, reason="BBB sửa số thu")
    old.refresh_from_db()
    assert old.superseded_at is not None and old.superseded_reason == "BBB sửa số thu"
    cast.period1.refresh_from_db()
    assert not cast.period1.is_locked
    new, created = period_rollup(period=cast.period1, user=cast.compiler)
    assert created and new.pk != old.pk
    assert Snapshot.objects.filter(period=cast.period1).count() == 2


def test_reopen_needs_a_reason(three_reports):
    period_rollup(period=three_reports.period1, user=three_reports.compiler)
    with pytest.raises(ValidationError):
        period_reopen(period=three_reports.period1, user=three_reports.compiler, reason="")


def test_only_the_compiler_rolls_up_or_reopens(three_reports):
    cast = three_reports
    with pytest.raises(PermissionDenied):
        period_rollup(period=cast.period1, user=cast.director)
    assert not Snapshot.objects.exists()
    period_rollup(period=cast.period1, user=cast.compiler)
    with pytest.raises(PermissionDenied):
        period_reopen(period=cast.period1, user=cast.staff_a, reason="x")


def test_a_draft_at_rollup_counts_as_not_submitted(cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT, health_actual=99_000,
                mandatory_actual=9_400, voluntary_actual=3_900, revenue=240_000_000_000)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    row = next(r for r in snapshot.document["standings"] if r["unit"] == "AAA")
    assert row["report"] == "draft" and row["rank"] is None and not row["eligible"]


def test_missing_reports_are_listed_never_ranked(cast):
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    assert {r["unit"]: r["report"] for r in snapshot.document["standings"]} == {
        "AAA": "missing", "BBB": "missing", "CCC": "missing"}
    assert snapshot.document["awards"] == []


def test_no_targets_is_refused_with_a_message(cast):
    Target.objects.all().delete()
    with pytest.raises(ValidationError, match="chưa có chỉ tiêu"):
        period_rollup(period=cast.period1, user=cast.compiler)
    cast.period1.refresh_from_db()
    assert not cast.period1.is_locked and not Snapshot.objects.exists()


def test_locked_period_refuses_report_edits_after_rollup(three_reports):
    cast = three_reports
    period_rollup(period=cast.period1, user=cast.compiler)
    cast.period1.refresh_from_db()
    with pytest.raises(ValidationError):
        report_save(user=cast.compiler, period=cast.period1, unit=cast.office_a, data=report_figures(), expected_version=NO_ROW_VERSION)


def test_province_totals_sum_submitted_reports_and_gate_the_collection_department(three_reports, make_report):
    cast = three_reports
    Nomination.objects.create(period=cast.period1, unit=cast.qlt, reason="Tham mưu tốt", order=1)
    Nomination.objects.create(period=cast.period1, unit=cast.tchc, reason="Phối hợp tốt", order=2)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    province = snapshot.document["province"]
    assert province["unit"] == "QLT"
    qlt_scheme = next(s for s in province["schemes"] if s["scheme"] == "health")
    assert qlt_scheme["actual"] == 95_000 + 99_000 + 99_500
    # Health: (293.500 - 280.000) / 30.000 = 45 % < 81 %: the department may not be proposed.
    assert not province["eligible"]
    assert [a["unit"] for a in snapshot.document["awards"]] == ["CCC", "BBB", "TCHC"]


def test_collection_department_is_proposed_when_province_totals_meet_the_criteria(three_reports):
    cast = three_reports
    Target.objects.filter(unit=cast.qlt).update(
        mandatory_plan=27_900, mandatory_base=25_500, voluntary_plan=11_800, voluntary_base=9_000,
        health_plan=290_000, health_base=270_000, revenue_plan=750_000_000_000,
    )
    Nomination.objects.create(period=cast.period1, unit=cast.qlt, reason="Tham mưu tốt", order=1)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    assert snapshot.document["province"]["eligible"]
    assert [a["unit"] for a in snapshot.document["awards"]] == ["CCC", "BBB", "QLT"]
    assert snapshot.document["awards"][2]["prize"] == "third"


def test_other_period_untouched(three_reports):
    period_rollup(period=three_reports.period1, user=three_reports.compiler)
    assert not Period.objects.get(number=2).is_locked


def test_province_totals_leave_out_drafts_and_units_that_do_not_report(three_reports, make_report):
    cast = three_reports
    make_report(cast.period1, cast.qlt, status=Report.Status.DRAFT, health_actual=50_000)
    make_report(cast.period1, cast.tchc, health_actual=70_000)  # a department with no figures
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    health = next(s for s in snapshot.document["province"]["schemes"] if s["scheme"] == "health")
    assert health["actual"] == 95_000 + 99_000 + 99_500  # the three offices' submitted reports


def test_a_rolled_up_period_opened_behind_the_services_back_is_locked_again(three_reports):
    cast = three_reports
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    Period.objects.filter(pk=cast.period1.pk).update(status=Period.Status.OPEN)
    again, created = period_rollup(period=cast.period1, user=cast.compiler)
    assert again.pk == snapshot.pk and not created
    assert Period.objects.get(pk=cast.period1.pk).is_locked


def test_a_revenue_rate_that_would_read_as_the_threshold_is_stored_with_more_places(cast, make_report):
    # 210.496.000.000 / 260.000.000.000 = 80,96 %: "81,0" beside C2 ✗ would read as a pass.
    make_report(cast.period1, cast.office_a, revenue=210_496_000_000, nonpublic_revenue=0)
    make_report(cast.period1, cast.office_b)
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    rows = {row["unit"]: row for row in snapshot.document["standings"]}
    assert rows["AAA"]["metrics"]["revenue_rate"] == "81.0"  # the interface's rounding, unchanged
    assert not rows["AAA"]["criteria"]["revenue"]
    assert rows["AAA"]["shown"] == {"revenue_rate": "80.96"}
    assert "shown" not in rows["BBB"]


def test_a_month_is_rolled_up_only_once_its_last_day_is_over(three_reports):
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    cast = three_reports
    late_evening = dt.datetime(2025, 10, 31, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(late_evening, tick=False), pytest.raises(ValidationError) as refused:
        period_rollup(period=cast.period1, user=cast.compiler)
    assert "chưa kết thúc" in str(refused.value) and "từ ngày 01/11/2025" in str(refused.value)
    assert not Snapshot.objects.exists()
    assert not Period.objects.get(pk=cast.period1.pk).is_locked
    with time_machine.travel(late_evening + dt.timedelta(hours=1), tick=False):  # 00:30 on 01/11
        _, created = period_rollup(period=cast.period1, user=cast.compiler)
    assert created


def test_a_manual_roll_up_with_nobody_asking_is_refused(three_reports):
    with pytest.raises(PermissionDenied):
        period_rollup(period=three_reports.period1)  # manual is the default trigger
    assert not Snapshot.objects.exists()
