"""Who sees which figures of the standings (scoring.selectors)."""

from django.urls import reverse

from campaign.models import Report

DRAFT_FIGURE = "62,3 %"  # AAA's draft: mandatory (9.123 − 8.500) / 1.000 = 62,3 %


def draft_of_a(cast, make_report):
    make_report(cast.period1, cast.office_a, status=Report.Status.DRAFT, mandatory_actual=9_123)
    make_report(cast.period1, cast.office_b)


def test_another_units_staff_see_a_draft_listed_without_its_figures(client, cast, make_report):
    draft_of_a(cast, make_report)
    client.force_login(cast.staff_b)
    for url in (reverse("scoring:ranking", args=[1]), reverse("dashboard:dashboard") + "?ky=1"):
        page = client.get(url).content.decode()
        assert "BHXH cơ sở A" in page and DRAFT_FIGURE not in page, url
        assert "số liệu chỉ đơn vị và các phòng quản lý xem được" in page


def test_the_standings_export_hides_another_units_draft_too(client, cast, make_report):
    import io

    from openpyxl import load_workbook

    draft_of_a(cast, make_report)
    client.force_login(cast.staff_b)
    content = client.get(reverse("dashboard:export") + "?ky=1&loai=local_office").content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    row_a = next(row for row in rows if "BHXH cơ sở A" in row)
    assert 62.3 not in row_a
    assert "Không đạt" not in row_a and "Đạt" not in row_a  # its criteria are not known here


def test_the_unit_and_the_managers_see_the_drafts_figures(client, cast, make_report):
    draft_of_a(cast, make_report)
    for who in (cast.staff_a, cast.compiler, cast.director, cast.appraiser, cast.finance, cast.admin):
        client.force_login(who)
        page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
        assert DRAFT_FIGURE in page, who.username


# --- what the schedule will do with an open period (schedule_note) ---------------------------

def test_with_no_broker_the_note_says_nothing_will_run_by_itself(cast):
    import datetime as dt

    from django.test import override_settings

    from scoring.selectors import schedule_note

    before_due = dt.datetime(2025, 11, 4, 9, 0, tzinfo=dt.UTC)
    with override_settings(CELERY_BROKER_URL=""):
        note = schedule_note(cast.period1, now=before_due)
    assert note == ("Cài đặt này không chạy lịch tổng hợp tự động (máy chủ chưa bật bộ chạy lịch): đến "
                    "hạn (07:00 05/11/2025) hãy bấm Tổng hợp.")


def test_with_a_schedule_the_note_follows_the_period(cast, make_report):
    import datetime as dt

    from django.test import override_settings

    from scoring.selectors import schedule_note
    from scoring.services import period_reopen, period_rollup

    before, after = (dt.datetime(2025, 11, 4, 9, 0, tzinfo=dt.UTC),
                     dt.datetime(2025, 11, 6, 9, 0, tzinfo=dt.UTC))
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        assert schedule_note(cast.period1, now=before) == (
            "Nếu chưa ai bấm, kỳ được tổng hợp tự động lúc 07:00 05/11/2025.")
        assert schedule_note(cast.period1, now=after).startswith(
            "Đã quá giờ tổng hợp tự động (07:00 05/11/2025) mà kỳ chưa được tổng hợp")
        make_report(cast.period1, cast.office_a)
        period_rollup(period=cast.period1, user=cast.compiler)
        period_reopen(period=cast.period1, user=cast.compiler, reason="Sửa số liệu")
        assert schedule_note(cast.period1, now=after) == (
            "Kỳ đã được mở lại nên lịch không tự tổng hợp lại: sửa xong hãy bấm Tổng hợp.")


def test_a_reopened_period_no_longer_shows_its_old_run_as_the_result(
        client, cast, make_report, django_capture_on_commit_callbacks):
    from scoring.services import period_reopen

    make_report(cast.period1, cast.office_a)
    client.force_login(cast.compiler)
    with django_capture_on_commit_callbacks(execute=True):  # the eager run starts on commit
        client.post(reverse("scoring:rollup", args=[1]), {"confirm": "1"})
    period_reopen(period=cast.period1, user=cast.compiler, reason="Sửa số liệu")
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "đã hoàn tất, nhưng kỳ đã được mở lại sau đó" in page
    assert "<strong>Hoàn tất</strong>" not in page
