import pytest
from django.urls import reverse

from scoring.models import Snapshot
from scoring.services import period_rollup

from ..conftest import set_level


@pytest.fixture
def reported(cast, make_report):
    make_report(cast.period1, cast.office_a, mandatory_actual=9_400, voluntary_actual=3_900,
                health_actual=99_000, revenue=240_000_000_000)
    make_report(cast.period1, cast.office_b)
    return cast


@pytest.mark.parametrize("who", ["staff_a", "compiler", "appraiser", "finance", "director", "admin"])
def test_every_logged_in_role_sees_the_ranking(client, reported, who):
    client.force_login(getattr(reported, who))
    response = client.get(reverse("scoring:ranking", args=[1]))
    assert response.status_code == 200
    assert "BHXH cơ sở A" in response.content.decode()


def test_anonymous_is_sent_to_login(client, reported):
    assert client.get(reverse("scoring:ranking", args=[1])).status_code == 302


def test_open_period_shows_a_provisional_ranking(client, reported):
    client.force_login(reported.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "tạm tính" in page
    assert "90,0 %" in page  # AAA's development rates
    assert "Chưa có báo cáo" in page  # CCC flagged


def test_page_shows_the_stored_snapshot_once_rolled_up(client, reported):
    snapshot, _ = period_rollup(period=reported.period1, user=reported.compiler)
    client.force_login(reported.staff_a)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "Đã tổng hợp và khóa sổ" in page
    for row in snapshot.document["standings"]:
        assert row["explanation"].replace("→", "&rarr;")[:20] in page or row["explanation"][:20] in page
    assert "Giải Nhất" in page and "5.000.000" in page


def test_compiler_rolls_up_from_the_page(client, reported, django_capture_on_commit_callbacks):
    client.force_login(reported.compiler)
    # The view enqueues the roll-up once its transaction commits (eager here: no broker).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scoring:rollup", args=[1]), {"confirm": "1"})
    assert Snapshot.objects.filter(period=reported.period1).count() == 1


def test_staff_cannot_roll_up_or_reopen(client, reported):
    client.force_login(reported.staff_a)
    assert client.post(reverse("scoring:rollup", args=[1])).status_code == 403
    assert not Snapshot.objects.exists()
    period_rollup(period=reported.period1, user=reported.compiler)
    assert client.post(reverse("scoring:reopen", args=[1]), {"reason": "x"}).status_code == 403


def test_compiler_reopens_with_a_reason_and_old_snapshot_stays_viewable(client, reported):
    old, _ = period_rollup(period=reported.period1, user=reported.compiler)
    client.force_login(reported.compiler)
    client.post(reverse("scoring:reopen", args=[1]), {"reason": "Sửa số liệu BBB", "confirm": "1"})
    page = client.get(reverse("scoring:snapshot", args=[old.pk])).content.decode()
    assert "đã bị thay thế" in page and "Sửa số liệu BBB" in page


def test_ranking_query_count_does_not_grow_with_units(client, reported, make_report, django_assert_max_num_queries):
    from campaign.models import Target
    from units.models import Unit

    from ..conftest import target_figures

    for i in range(40):
        unit = Unit.objects.create(code=f"X{i:02d}", name=f"Office {i}", kind=Unit.Kind.LOCAL_OFFICE)
        Target.objects.create(campaign=reported.campaign, unit=unit, **target_figures())
        make_report(reported.period1, unit)
    client.force_login(reported.director)
    # 5 fingerprint the cached provisional ranking, 1 reads the ladder, 1 the office for the
    # title; 2 are the campaign named by the address and the menu's list of campaigns;
    # 3 count what waits for the menu.
    with django_assert_max_num_queries(25):
        assert client.get(reverse("scoring:ranking", args=[1])).status_code == 200


def test_provisional_ranking_is_cached_until_a_figure_changes(client, reported, monkeypatch):
    from campaign.models import Report
    from scoring import rollup

    calls = []
    real = rollup.build_rollup
    monkeypatch.setattr(rollup, "build_rollup", lambda period: calls.append(period) or real(period))
    client.force_login(reported.director)
    url = reverse("scoring:ranking", args=[1])
    assert "90,0 %" in client.get(url).content.decode()
    client.get(url)
    assert len(calls) == 1  # the second view is served from the cache
    report = Report.objects.get(unit=reported.office_a, period=reported.period1)
    report.health_actual = 98_100  # (98.100 - 90.000) / 10.000 = 81,0 %
    report.save()
    assert "81,0 %" in client.get(url).content.decode()
    assert len(calls) == 2


def test_a_locked_ranking_reads_the_stored_standings_once_and_never_the_inputs(client, reported):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period_rollup(period=reported.period1, user=reported.compiler)
    period_rollup(period=reported.period1, user=reported.compiler)  # a second run: in the history
    client.force_login(reported.compiler)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("scoring:ranking", args=[1])).status_code == 200
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    assert sum('"scoring_snapshot"."document"' in sql for sql in selects) == 1
    assert not any('"scoring_snapshot"."inputs"' in sql for sql in selects)


def test_provisional_ranking_shows_a_renamed_office_at_once(client, reported):
    client.force_login(reported.director)
    url = reverse("scoring:ranking", args=[1])
    assert "BHXH cơ sở A" in client.get(url).content.decode()
    reported.office_a.name = "BHXH cơ sở An Khê"
    reported.office_a.save()
    assert "BHXH cơ sở An Khê" in client.get(url).content.decode()


def test_provisional_proposal_follows_a_change_of_the_individual_quota(reported):
    from campaign.models import Period
    from scoring.rollup import provisional_document

    def first_prize_quotas():
        period = Period.objects.get(pk=reported.period1.pk)  # as a request reads it
        return [a["individual_quota"] for a in provisional_document(period)["awards"]
                if a["prize"] == "first"]

    assert first_prize_quotas() == [3]
    set_level(reported.campaign, "first", individuals=1)
    assert first_prize_quotas() == [1]


def test_a_revenue_rate_just_below_the_threshold_does_not_read_as_the_threshold(client, cast, make_report):
    make_report(cast.period1, cast.office_a, revenue=210_496_000_000, nonpublic_revenue=0)  # 80,96 %
    client.force_login(cast.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert '<td class="num">80,96 %</td>' in page
    assert '<td class="num">81,0 %</td>' not in page


def test_the_roll_up_button_waits_for_the_end_of_the_month(client, reported):
    import datetime as dt

    import time_machine

    client.force_login(reported.compiler)
    with time_machine.travel(dt.datetime(2025, 10, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "chưa kết thúc" in page and "disabled>Tổng hợp và khóa sổ" in page
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert 'type="submit">Tổng hợp và khóa sổ' in page
