"""Issue "many campaigns", done when: from the demo, a second campaign is loaded from its file
(four months, thresholds 70/80/90/100, a ladder first ×1, second ×2, third ×3, encouragement
×2) and run through the templates, the imports and the roll-ups by the documented commands,
while every page, workbook and PDF of 2025 still opens and reads as it did.

"Reads as it did": each 2025 page is read before the second campaign exists and again after
it has run, on the same day (the clock moved back), so that only the second campaign could
make a difference; the menu, which lists every campaign, is left out, and so are the per-request
CSRF tokens. Workbooks are compared cell by cell, the PDF by its text.
"""

import datetime as dt
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from awards.models import Dossier
from campaign import xlsx
from campaign.models import Campaign, Target
from campaign.scope import campaign_urls
from campaign.selectors import reporting_units
from scoring.models import Snapshot
from units.models import Unit

from ..conftest import VN
from . import excel_factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FILE = Path(__file__).resolve().parents[2] / "fixtures" / "campaigns" / "example-next-campaign.toml"
BEFORE_LAUNCH = dt.datetime(2026, 8, 3, 9, 0, tzinfo=VN)  # 2025 over, 2026 still to start
AFTER_THE_END = dt.datetime(2027, 1, 6, 9, 0, tzinfo=VN)  # every 2026 month over
THRESHOLDS = {1: 70, 2: 80, 3: 90, 4: 100}
TARGET = {"mandatory_plan": 10_000, "mandatory_base": 9_000, "voluntary_plan": 5_000,
          "voluntary_base": 4_000, "health_plan": 100_000, "health_base": 90_000,
          "revenue_plan": 100_000_000_000, "late_max": 5, "late_interest_max": 3}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def results(threshold: int, place: int) -> dict:
    """Figures a unit reaches: the `place`-th office does a point worse than the one before,
    starting 10 points above the month's threshold, so about ten offices pass each month."""
    rate = Fraction(threshold + 10 - place, 100)
    actual = {s: TARGET[f"{s}_base"] + int((TARGET[f"{s}_plan"] - TARGET[f"{s}_base"]) * rate)
              for s in ("mandatory", "voluntary", "health")}
    revenue = TARGET["revenue_plan"] * (threshold + 5) // 100
    return {
        "mandatory_actual": actual["mandatory"], "voluntary_actual": actual["voluntary"],
        "health_actual": actual["health"], "mandatory_last_year": TARGET["mandatory_base"],
        "voluntary_last_year": TARGET["voluntary_base"], "health_last_year": TARGET["health_base"],
        "revenue": revenue, "nonpublic_revenue": revenue // 3, "due": revenue,
        "late": revenue // 100, "late_interest": revenue // 200,
    }


def pages_of_2025(campaign: Campaign) -> dict[str, str]:
    """Every kind of 2025 page: name → address inside the 2025 campaign."""
    snapshots = Snapshot.objects.filter(period__campaign=campaign).order_by("period__number")
    dossier = Dossier.objects.filter(period__campaign=campaign).order_by("period__number").first()
    office = Unit.objects.filter(kind=Unit.Kind.LOCAL_OFFICE).order_by("code").first()
    with campaign_urls(campaign):
        addresses = {
            "home": reverse("home"), "ranking": reverse("scoring:ranking_current"),
            "rules": reverse("scoring:rules"), "dossiers": reverse("awards:dossiers"),
            "budget": reverse("awards:budget"), "summary": reverse("awards:summary"),
            "dashboard": reverse("dashboard:dashboard"),
            "unit panel": reverse("dashboard:unit_panel", args=[office.code]),
            "targets": reverse("campaign:targets"), "definition": reverse("campaign:definition"),
            "dossier": reverse("awards:dossier", args=[dossier.pk]),
            "summary.xlsx": reverse("awards:summary_xlsx"),
            "dashboard.xlsx": reverse("dashboard:export"),
            "targets.xlsx": reverse("excel:export_targets"),
            "award list.xlsx": reverse("awards:award_list_xlsx", args=[dossier.pk]),
            "memo.pdf": reverse("awards:memo_pdf", args=[dossier.pk]),
        }
        for snapshot in snapshots:
            number = snapshot.period.number
            addresses[f"ranking {number}"] = reverse("scoring:ranking", args=[number])
            addresses[f"snapshot {number}"] = reverse("scoring:snapshot", args=[snapshot.pk])
            addresses[f"reports {number}.xlsx"] = reverse("excel:export_reports", args=[number])
    return addresses


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def read(client, address: str):
    response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    if address.endswith(".pdf"):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    if address.endswith(".xlsx"):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        workbook = load_workbook(io.BytesIO(data))
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook]
    text = response.content.decode()
    main = text[text.index("<main"):text.index("</main>")]
    return CSRF.sub("", main)


def test_a_second_campaign_runs_by_the_commands_beside_the_demo_whose_pages_read_as_before(
        tmp_path, client):
    with time_machine.travel(BEFORE_LAUNCH, tick=False):
        run("load_demo")
        old = Campaign.objects.get()
        for number in (1, 2, 3):
            run("rollup", "--campaign", old.code, "--period", str(number))
        client.force_login(get_user_model().objects.get(username="admin"))
        addresses = pages_of_2025(old)
        before = {name: read(client, address) for name, address in addresses.items()}

        out = run("campaign_load", str(FILE))
        assert "Đã tạo phong trào NUOCRUT2026 với 4 kỳ." in out
        new = Campaign.objects.get(code="NUOCRUT2026")
        assert list(new.prize_levels.values_list("key", "count")) == [
            ("first", 1), ("second", 2), ("third", 3), ("encouragement", 2)]

        # Targets prepared before the launch: the template, filled, imported.
        template = tmp_path / "mau-chi-tieu.xlsx"
        run("export_template", "targets", "--campaign", new.code, "-o", str(template))
        codes = list(reporting_units().values_list("code", flat=True))
        filled = tmp_path / "chi-tieu.xlsx"
        filled.write_bytes(f.fill(template.read_bytes(),
                                  {code: f.labelled(xlsx.TARGETS, TARGET) for code in codes}))
        assert "Đã nhập" in run("import_targets", str(filled), "--campaign", new.code)
        assert Target.objects.filter(campaign=new).count() == len(codes)

    with time_machine.travel(AFTER_THE_END, tick=False):
        documents = {}
        for number, threshold in THRESHOLDS.items():
            template = tmp_path / f"mau-ket-qua-{number}.xlsx"
            run("export_template", "results", "--campaign", new.code, "--period", str(number),
                "-o", str(template))
            rows = {code: f.labelled(xlsx.RESULTS, results(threshold, place))
                    for place, code in enumerate(codes)}
            filled = tmp_path / f"ket-qua-{number}.xlsx"
            filled.write_bytes(f.fill(template.read_bytes(), rows))
            assert "Đã nhập" in run("import_results", str(filled), "--campaign", new.code,
                                    "--period", str(number))
            documents[number] = json.loads(run("rollup", "--campaign", new.code, "--period",
                                               str(number), "--json"))

    for number, document in documents.items():
        prizes = [award["prize"] for award in document["awards"] if award.get("prize")]
        assert prizes[:8] == ["first", "second", "second", "third", "third", "third",
                              "encouragement", "encouragement"], number
        given = [a for a in document["awards"] if a["prize"] == "encouragement"]
        assert all(a["amount"] == 1_000_000 for a in given), number
    assert not Snapshot.objects.filter(period__campaign=new).exclude(period__status="locked").exists()

    # The same day as the first reading: only the second campaign could change what 2025 shows.
    with time_machine.travel(BEFORE_LAUNCH, tick=False):
        client.force_login(get_user_model().objects.get(username="admin"))
        after = {name: read(client, address) for name, address in addresses.items()}
    # A unit's record across campaigns gains the new campaign's months, as it should; the rest
    # of its panel and its 2025 rows read as before.
    old_record, old_rest = record_apart(before.pop("unit panel"))
    new_record, new_rest = record_apart(after.pop("unit panel"))
    assert new_rest == old_rest and old_record in new_record and "NUOCRUT2026" in new_record
    for name in addresses.keys() - {"unit panel"}:
        assert after[name] == before[name], name
    assert "NUOCRUT2026" not in "".join(str(v) for v in after.values())


def record_apart(main: str) -> tuple[str, str]:
    """(the rows of the record across campaigns, the rest of the unit's panel)."""
    start = main.index("<tbody>", main.index('id="thanh-tich"'))
    end = main.index("</tbody>", start)
    return main[start + len("<tbody>"):end], main[:start] + main[end:]
