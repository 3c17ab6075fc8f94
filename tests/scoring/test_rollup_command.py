import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from campaign.models import Target
from scoring.models import Snapshot

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "scoring" / "rollup.schema.json").read_text())


def run_json(*args) -> dict:
    out = StringIO()
    call_command("rollup", *args, "--json", stdout=out)
    return json.loads(out.getvalue())  # the whole output is one JSON document


@pytest.fixture
def reported(cast, make_report):
    make_report(cast.period1, cast.office_a, mandatory_actual=9_400, voluntary_actual=3_900,
                health_actual=99_000, revenue=240_000_000_000)
    make_report(cast.period1, cast.office_b, status="draft")
    return cast


def test_json_output_follows_the_schema(reported):
    document = run_json("--campaign", "TEST2025", "--period", "1")
    jsonschema.validate(document, SCHEMA)
    assert document["campaign"] == "TEST2025" and document["period"] == 1
    assert document["participant_threshold"] == "81" and document["tie_decimals"] == 1


def test_json_lists_ranked_first_then_the_rest_by_code(reported):
    document = run_json("--campaign", "TEST2025", "--period", "1")
    rows = [(r["unit"], r["report"], r["rank"]) for r in document["standings"]]
    assert rows == [("AAA", "submitted", 1), ("BBB", "draft", None), ("CCC", "missing", None)]


def test_metrics_are_dot_decimal_strings_rounded_to_tie_decimals(reported):
    row = run_json("--campaign", "TEST2025", "--period", "1")["standings"][0]
    # participants: (90 % + 90 % + 90 %) / 3; revenue 240/260 = 92,307... → 92.3
    assert row["metrics"]["participant_rate"] == "90.0"
    assert row["metrics"]["revenue_rate"] == "92.3"
    assert row["metrics"]["late_ratio"] == "2.5"


def test_undefined_metrics_are_null(reported):
    row = run_json("--campaign", "TEST2025", "--period", "1")["standings"][2]
    assert row["metrics"]["participant_rate"] is None


def test_running_twice_prints_the_same_document_and_keeps_one_snapshot(reported):
    first = run_json("--campaign", "TEST2025", "--period", "1")
    second = run_json("--campaign", "TEST2025", "--period", "1")
    assert first == second and Snapshot.objects.count() == 1


def test_unknown_campaign_fails_with_a_message(cast):
    with pytest.raises(CommandError, match="Không tìm thấy phong trào"):
        call_command("rollup", "--campaign", "NOPE", "--period", "1")


def test_unknown_period_fails_with_a_message(cast):
    with pytest.raises(CommandError, match="không có kỳ 9"):
        call_command("rollup", "--campaign", "TEST2025", "--period", "9")


def test_no_targets_fails_with_a_message(cast):
    Target.objects.all().delete()
    with pytest.raises(CommandError, match="chưa có chỉ tiêu"):
        call_command("rollup", "--campaign", "TEST2025", "--period", "1")


def test_plain_output_summarises(reported):
    out = StringIO()
    call_command("rollup", "--campaign", "TEST2025", "--period", "1", stdout=out)
    assert "đã tổng hợp và khóa sổ" in out.getvalue()
    assert "Đề xuất Giải Nhất: AAA (5.000.000 đồng)" in out.getvalue()


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush wipes."""
    from django.contrib.auth.models import Group

    from units.models import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.mark.django_db(transaction=True)
def test_json_stays_alone_on_stdout_when_the_dossier_email_is_printed(role_groups, reported, capsys, settings):
    # Committed for real, as the command runs: the dossier e-mail goes out on commit, and the
    # default console backend prints e-mails on stdout.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    for who in (reported.compiler, reported.appraiser):
        who.email = f"{who.username}@example.vn"
        who.save()
    call_command("rollup", "--campaign", "TEST2025", "--period", "1", "--json")
    captured = capsys.readouterr()
    assert json.loads(captured.out)["period"] == 1
    assert "compiler@example.vn" in captured.err  # the e-mail went out, on stderr
