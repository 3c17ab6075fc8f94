"""Any ladder, end to end: the roll-up gives the campaign's levels in R14's order (local
offices first, then the nominated departments), each with its amount and individual quota,
and the dossier's lines keep the levels' keys and names."""

import json
from pathlib import Path

import jsonschema
import pytest

from awards.models import AwardLine, Dossier
from campaign.models import Target
from scoring.models import Nomination
from scoring.services import period_rollup
from units.models import Unit

from ..conftest import set_ladder, target_figures

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "scoring" / "rollup.schema.json").read_text())

LADDER = (
    ("first", "Giải Nhất", 1, 6_000_000, 3),
    ("second", "Giải Nhì", 2, 4_000_000, 2),
    ("third", "Giải Ba", 3, 2_000_000, 1),
    ("khuyen-khich", "Giải Khuyến khích", 2, 1_000_000, 0),
)


@pytest.fixture
def eight_candidates(cast, make_report):
    """Five eligible local offices, ranked by their health figures (99.900 first), and four
    nominated departments: one more candidate than the ladder has places."""
    strong = {"mandatory_actual": 9_400, "voluntary_actual": 3_900, "revenue": 240_000_000_000}
    make_report(cast.period1, cast.office_a, **strong, health_actual=99_000)
    make_report(cast.period1, cast.office_b, **strong, health_actual=99_500)
    make_report(cast.period1, cast.office_c, **strong, health_actual=98_500)
    for code, health in (("DDD", 99_900), ("EEE", 99_700)):
        office = Unit.objects.create(code=code, name=f"BHXH cơ sở {code[0]}", kind=Unit.Kind.LOCAL_OFFICE, order=5)
        Target.objects.create(campaign=cast.campaign, unit=office, **target_figures())
        make_report(cast.period1, office, **strong, health_actual=health)
    kt = Unit.objects.create(code="KT", name="Phòng Kiểm tra", kind=Unit.Kind.DEPARTMENT, order=4)
    cntt = Unit.objects.create(code="CNTT", name="Phòng Công nghệ thông tin", kind=Unit.Kind.DEPARTMENT, order=5)
    for order, unit in enumerate((cast.tchc, cast.khtc, kt, cntt), start=1):
        Nomination.objects.create(period=cast.period1, unit=unit, reason="Tham mưu tốt", order=order)
    set_ladder(cast.campaign, LADDER)
    return cast


def test_a_ladder_of_four_levels_gives_exactly_its_prizes_in_r14_order(eight_candidates):
    snapshot, _ = period_rollup(period=eight_candidates.period1, user=eight_candidates.compiler)
    awards = snapshot.document["awards"]
    assert [(a["unit"], a["prize"], a["prize_name"], a["amount"], a["individual_quota"]) for a in awards] == [
        ("DDD", "first", "Giải Nhất", 6_000_000, 3),
        ("EEE", "second", "Giải Nhì", 4_000_000, 2),
        ("BBB", "second", "Giải Nhì", 4_000_000, 2),
        ("AAA", "third", "Giải Ba", 2_000_000, 1),
        ("CCC", "third", "Giải Ba", 2_000_000, 1),
        ("TCHC", "third", "Giải Ba", 2_000_000, 1),
        ("KHTC", "khuyen-khich", "Giải Khuyến khích", 1_000_000, 0),
        ("KT", "khuyen-khich", "Giải Khuyến khích", 1_000_000, 0),
    ]  # CNTT, the ninth candidate, gets nothing
    jsonschema.validate(snapshot.document, SCHEMA)
    assert snapshot.applied_settings["ladder"] == [
        "first", "second", "second", "third", "third", "third", "khuyen-khich", "khuyen-khich",
    ]
    assert snapshot.applied_settings["prizes"]["khuyen-khich"] == {
        "amount": 1_000_000, "individual_quota": 0, "name": "Giải Khuyến khích", "position": 4,
    }


def test_the_dossier_lines_keep_the_levels_keys_names_amounts_and_quotas(eight_candidates):
    period_rollup(period=eight_candidates.period1, user=eight_candidates.compiler)
    dossier = Dossier.objects.get(period=eight_candidates.period1)
    lines = [(line.position, line.unit.code, line.prize, line.prize_name, line.amount, line.individual_quota)
             for line in dossier.lines.select_related("unit")]
    assert lines == [
        (1, "DDD", "first", "Giải Nhất", 6_000_000, 3),
        (2, "EEE", "second", "Giải Nhì", 4_000_000, 2),
        (3, "BBB", "second", "Giải Nhì", 4_000_000, 2),
        (4, "AAA", "third", "Giải Ba", 2_000_000, 1),
        (5, "CCC", "third", "Giải Ba", 2_000_000, 1),
        (6, "TCHC", "third", "Giải Ba", 2_000_000, 1),
        (7, "KHTC", "khuyen-khich", "Giải Khuyến khích", 1_000_000, 0),
        (8, "KT", "khuyen-khich", "Giải Khuyến khích", 1_000_000, 0),
    ]
    assert sum(amount for *_, amount, _ in lines) == 6_000_000 + 2 * 4_000_000 + 3 * 2_000_000 + 2 * 1_000_000


def test_a_level_counted_zero_gives_nothing(eight_candidates):
    set_ladder(eight_candidates.campaign, (
        ("dac-biet", "Giải Đặc biệt", 0, 10_000_000, 5),
        ("first", "Giải Nhất", 1, 6_000_000, 3),
        ("khuyen-khich", "Giải Khuyến khích", 0, 1_000_000, 0),
        ("second", "Giải Nhì", 1, 4_000_000, 2),
    ))
    snapshot, _ = period_rollup(period=eight_candidates.period1, user=eight_candidates.compiler)
    assert [(a["unit"], a["prize"]) for a in snapshot.document["awards"]] == [("DDD", "first"), ("EEE", "second")]
    assert not AwardLine.objects.filter(prize__in=["dac-biet", "khuyen-khich"]).exists()


def test_a_campaign_without_a_ladder_gives_no_prize(eight_candidates):
    set_ladder(eight_candidates.campaign, ())
    snapshot, _ = period_rollup(period=eight_candidates.period1, user=eight_candidates.compiler)
    assert snapshot.document["awards"] == [] and snapshot.applied_settings["ladder"] == []
    assert snapshot.document["standings"][0]["rank"] == 1  # the ranking itself is unchanged


def test_a_later_change_of_the_ladder_leaves_the_snapshot_and_its_names(eight_candidates):
    snapshot, _ = period_rollup(period=eight_candidates.period1, user=eight_candidates.compiler)
    set_ladder(eight_candidates.campaign, (("first", "Giải A", 1, 9_000_000, 1),))
    snapshot.refresh_from_db()
    assert snapshot.prize_names["first"] == "Giải Nhất"
    assert snapshot.prize_names["khuyen-khich"] == "Giải Khuyến khích"


def test_an_early_snapshot_reads_its_levels_by_the_early_names_in_their_order():
    from scoring.models import applied_levels
    from scoring.templatetags.scoring_tags import prize_label

    # As stored before levels carried names and positions (and as jsonb may return the keys).
    applied = {"prizes": {
        "third": {"amount": 2_000_000, "individual_quota": 1},
        "first": {"amount": 5_000_000, "individual_quota": 3},
        "second": {"amount": 3_000_000, "individual_quota": 2},
    }}
    assert [(level["key"], level["name"], level["amount"]) for level in applied_levels(applied)] == [
        ("first", "Giải Nhất", 5_000_000), ("second", "Giải Nhì", 3_000_000), ("third", "Giải Ba", 2_000_000),
    ]
    assert prize_label({"prize": "second", "amount": 3_000_000}) == "Giải Nhì"
    assert prize_label({"prize": "khuyen-khich", "prize_name": "Giải Khuyến khích"}) == "Giải Khuyến khích"
    assert prize_label("khuyen-khich", {"khuyen-khich": "Giải Khuyến khích"}) == "Giải Khuyến khích"


def test_applied_levels_follow_their_stored_positions_not_the_mapping_order():
    from scoring.models import applied_levels

    applied = {"prizes": {
        "khuyen-khich": {"amount": 1, "individual_quota": 0, "name": "Giải Khuyến khích", "position": 2},
        "dac-biet": {"amount": 9, "individual_quota": 5, "name": "Giải Đặc biệt", "position": 1},
    }}
    assert [level["key"] for level in applied_levels(applied)] == ["dac-biet", "khuyen-khich"]
