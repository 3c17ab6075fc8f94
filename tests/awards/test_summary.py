"""The campaign summary: per unit and per person, decided prizes across periods."""

import datetime as dt
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from awards import summary as summaries
from awards.models import Dossier
from scoring.services import period_rollup

from .conftest import advance, full_dossier, report_period

State = Dossier.State


def test_only_approved_or_paid_dossiers_count(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.PAID)
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)  # a draft: not counted
    summary = summaries.campaign_summary(rolled.campaign)
    by_code = {row.unit.code: row for row in summary.units}
    assert set(by_code) == {"AAA", "BBB", "CCC", "TCHC", "KHTC"}
    assert by_code["AAA"].prizes == {"first": 1, "second": 0, "third": 0}
    assert (by_code["AAA"].amount, by_code["AAA"].individuals, by_code["AAA"].total) == (5_000_000, 3, 6_500_000)
    assert summary.total == 18_000_000
    assert len(summary.people) == 8


def test_prizes_add_up_across_periods(rolled, make_report):
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPROVED)
    period2 = rolled.periods[1]
    report_period(rolled, make_report, period2)
    period_rollup(period=period2, user=rolled.compiler)
    rolled.dossier = Dossier.objects.get(period=period2)
    full_dossier(rolled)
    advance(rolled, rolled.dossier, State.APPRAISED)
    from awards import services

    services.dossier_approve(user=rolled.director, dossier=rolled.dossier, decision_number="150/QĐ-BHXH",
                             decision_date=rolled.periods[1].last_day + dt.timedelta(days=5))
    summary = summaries.campaign_summary(rolled.campaign)
    aaa = next(row for row in summary.units if row.unit.code == "AAA")
    assert aaa.prizes["first"] == 2 and aaa.amount == 10_000_000
    assert aaa.periods == ["Giải Nhất Tháng 10/2025", "Giải Nhất Tháng 11/2025"]
    top = summary.people[0]
    assert top.count == 2 and top.amount == 1_000_000
    assert summary.total == 36_000_000


def test_the_summary_counts_prizes_per_level_of_the_campaigns_ladder(awards_cast, client):
    from awards import xlsx

    from ..conftest import set_ladder

    set_ladder(awards_cast.campaign, (
        ("first", "Giải Nhất", 1, 5_000_000, 3),
        ("second", "Giải Nhì", 0, 3_000_000, 2),
        ("khuyen-khich", "Giải Khuyến khích", 4, 1_000_000, 1),
    ))
    period_rollup(period=awards_cast.period1, user=awards_cast.compiler)
    awards_cast.dossier = Dossier.objects.get(period=awards_cast.period1)
    full_dossier(awards_cast)
    advance(awards_cast, awards_cast.dossier, State.APPROVED)

    summary = summaries.campaign_summary(awards_cast.campaign)
    assert [(level.key, level.name) for level in summary.levels] == [
        ("first", "Giải Nhất"), ("second", "Giải Nhì"), ("khuyen-khich", "Giải Khuyến khích"),
    ]
    by_code = {row.unit.code: row for row in summary.units}
    assert by_code["AAA"].prizes == {"first": 1, "second": 0, "khuyen-khich": 0}
    assert by_code["KHTC"].prizes == {"first": 0, "second": 0, "khuyen-khich": 1}
    assert by_code["KHTC"].periods == ["Giải Khuyến khích Tháng 10/2025"]
    # 5.000.000 + 3 × 500.000, then four times 1.000.000 + 500.000.
    assert summary.total == 6_500_000 + 4 * 1_500_000

    client.force_login(awards_cast.finance)
    page = client.get(reverse("awards:summary")).content.decode()
    assert re.search(r"<th>Đơn vị</th><th class=\"num\">Giải Nhất</th><th class=\"num\">Giải Nhì</th>"
                     r"<th class=\"num\">Giải Khuyến khích</th><th class=\"num\">Tiền thưởng tập thể</th>", page)
    book = load_workbook(io.BytesIO(xlsx.summary_workbook(summary)))
    header, *units = [row for row in book["Tập thể"].iter_rows(min_row=3, values_only=True)]
    assert header[:6] == ("Mã đơn vị", "Đơn vị", "Giải Nhất", "Giải Nhì", "Giải Khuyến khích",
                          "Tiền thưởng tập thể (đồng)")
    assert ("KHTC", "Phòng Kế hoạch - Tài chính", 0, 0, 1, 1_000_000, 1, 500_000, 1_500_000) in [
        row[:9] for row in units]
    assert units[-1][:9] == (None, "Tổng cộng", None, None, None, None, None, None, 12_500_000)
