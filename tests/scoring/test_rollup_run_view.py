"""The compiler's roll-up button queues a run; the page follows it through a JSON endpoint."""

import re

import pytest
from django.urls import reverse

from scoring.models import RollupRun, Snapshot
from scoring.services import period_rollup
from scoring.tasks import rollup_period


@pytest.fixture
def compiler_client(client, cast):
    client.force_login(cast.compiler)
    return client


def post_rollup(client, capture, number=1):
    # The message is sent on commit (delay_on_commit); the test's transaction never commits,
    # so the callbacks are run by hand, as a real commit would.
    with capture(execute=True):
        return client.post(reverse("scoring:rollup", args=[number]), {"confirm": "1"}, follow=True)


def test_the_button_queues_a_run_that_eagerly_finishes(compiler_client, cast, django_capture_on_commit_callbacks):
    post_rollup(compiler_client, django_capture_on_commit_callbacks)
    run = RollupRun.objects.get()
    assert (run.state, run.trigger, run.triggered_by, run.created_snapshot) == ("done", "manual", cast.compiler, True)
    assert Snapshot.objects.get().pk == run.snapshot_id
    page = compiler_client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "Đã tổng hợp và khóa sổ lúc" in page
    assert 'id="rollup-run-history"' in page and "Hoàn tất" in page and 'data-locked="1"' in page


def test_without_a_worker_the_run_stays_queued_and_the_page_says_it_will_update(compiler_client, cast, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(rollup_period, "delay", lambda run_id: sent.append(run_id))
    page = post_rollup(compiler_client, django_capture_on_commit_callbacks).content.decode()
    run = RollupRun.objects.get()
    assert sent == [run.pk] and run.state == "queued" and not Snapshot.objects.exists()
    assert "trang tự cập nhật" in page
    assert 'data-active="1"' in page


def test_a_second_click_while_a_run_is_queued_queues_nothing(compiler_client, cast, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(rollup_period, "delay", lambda run_id: None)
    post_rollup(compiler_client, django_capture_on_commit_callbacks)
    page = post_rollup(compiler_client, django_capture_on_commit_callbacks).content.decode()
    assert RollupRun.objects.count() == 1
    assert "đang được tổng hợp" in page


def test_a_failed_roll_up_is_shown_with_its_error(compiler_client, cast, django_capture_on_commit_callbacks):
    from campaign.models import Target

    Target.objects.all().delete()
    post_rollup(compiler_client, django_capture_on_commit_callbacks)
    run = RollupRun.objects.get()
    assert run.state == "failed" and "chưa có chỉ tiêu" in run.message
    page = compiler_client.get(reverse("scoring:ranking", args=[1])).content.decode()
    status = page[page.index('id="rollup-runs"'):]
    assert "alert-danger" in status and "chưa có chỉ tiêu" in status


@pytest.mark.parametrize("who", ["staff_a", "appraiser", "finance", "director"])
def test_only_the_compiler_may_start_a_roll_up_or_read_the_runs(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.post(reverse("scoring:rollup", args=[1])).status_code == 403
    assert client.get(reverse("scoring:rollup_runs", args=[1])).status_code == 403
    assert not RollupRun.objects.exists()


def test_anonymous_is_sent_to_login(client, cast):
    assert client.get(reverse("scoring:rollup_runs", args=[1])).status_code == 302


def test_the_json_endpoint_reports_state_and_history(compiler_client, cast):
    RollupRun.objects.create(period=cast.period1, trigger="schedule", state="failed",
                             message="OperationalError: mất kết nối", finished_at="2025-11-05T00:01:00Z")
    queued = RollupRun.objects.create(period=cast.period1, trigger="manual", triggered_by=cast.compiler)
    response = compiler_client.get(reverse("scoring:rollup_runs", args=[1]))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["active"] is True and data["locked"] is False and data["period"] == 1
    assert [r["state"] for r in data["runs"]] == ["queued", "failed"]
    latest, failed = data["runs"]
    assert latest["id"] == queued.pk and latest["requested_by"] == "compiler"
    assert failed["requested_by"] == "Theo lịch" and failed["message"] == "OperationalError: mất kết nối"
    assert failed["finished_at"] == "07:01 05/11/2025"
    assert "Đang chờ" in data["html"] and "mất kết nối" in data["html"]


def test_the_json_says_done_and_locked_once_a_run_finished(compiler_client, cast):
    snapshot, _ = period_rollup(period=cast.period1, user=cast.compiler)
    RollupRun.objects.create(period=cast.period1, trigger="manual", triggered_by=cast.compiler,
                             state="done", created_snapshot=True, snapshot=snapshot,
                             finished_at=snapshot.created_at, message="Đã tổng hợp và khóa sổ.")
    data = compiler_client.get(reverse("scoring:rollup_runs", args=[1])).json()
    assert data["active"] is False and data["locked"] is True
    assert data["runs"][0]["snapshot_url"] == reverse("scoring:snapshot", args=[snapshot.pk])


def test_the_page_loads_the_poller_from_a_static_file_and_has_no_inline_script(compiler_client, cast):
    page = compiler_client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert 'src="/static/js/rollup_status.js"' in page
    assert f'data-url="{reverse("scoring:rollup_runs", args=[1])}"' in page
    assert 'data-poll-ms="2000"' in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "http" not in "".join(attrs for attrs, _ in scripts)  # no CDN


def test_other_roles_see_no_roll_up_card_nor_poller(client, cast):
    client.force_login(cast.director)
    page = client.get(reverse("scoring:ranking", args=[1])).content.decode()
    assert "rollup_status.js" not in page and 'id="rollup-runs"' not in page


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush wipes."""
    from django.contrib.auth.models import Group

    from units.models import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_eager_run_is_finished_when_the_page_comes_back(role_groups, cast, client):
    # As in production without a broker: no test transaction holds the on-commit send back.
    client.force_login(cast.compiler)
    page = client.post(reverse("scoring:rollup", args=[1]), {"confirm": "1"}, follow=True).content.decode()
    assert "Đã tổng hợp và khóa sổ Tháng 10/2025." in page
    assert 'data-locked="1"' in page and 'data-active=""' in page
    again = client.post(reverse("scoring:rollup", args=[1]), {"confirm": "1"}, follow=True).content.decode()
    assert "đã được tổng hợp trước đó" in again
    assert RollupRun.objects.filter(created_snapshot=True).count() == 1 and RollupRun.objects.count() == 2
