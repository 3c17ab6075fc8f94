"""A synthetic national-scale campaign, built fast with bulk inserts.

The shapes come from the demo province (campaign/demo.py): office i is modelled on demo office
i mod 24, scaled, with its own base, non-public share and year-on-year ratio; each month's
results come from a development rate, a revenue rate and a late ratio drawn around the
period's threshold, then turned into people and đồng by `demo.month_figures`, exactly as the
demo does. So the figures have the demo's orders of magnitude and its mix: most offices near
the threshold, some passing, some missing one criterion (a lagging scheme, revenue short,
late payments above the ceiling), ties after rounding, a few drafts and missing reports in
the open month. Same seed, same campaign.

Everything is written with bulk_create and no full_clean (the figures satisfy the database's
constraints by construction); the benchmark measures the application, not this builder.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from campaign import demo, xlsx
from campaign.definition import load as load_definition
from campaign.models import Campaign, Period, Report, ReportEvent, Target
from campaign.setup import campaign_load
from units.models import Person, Role, Unit

CAMPAIGN_CODE = "BENCH"
SEED = 1

# The open month (period 3) while it is being collected: a few drafts and missing reports.
OPEN_DRAFT_SHARE = 0.04
OPEN_MISSING_SHARE = 0.02
# Earlier months: everything submitted, a handful never reported.
CLOSED_MISSING_SHARE = 0.005
LAG_SHARE = 0.10  # one scheme held 8 points below the others (fails C1 alone)


@dataclass
class BenchCampaign:
    size: int  # local offices
    campaign: Campaign
    periods: list[Period]
    offices: list[Unit]
    department: Unit  # the collection department (QLT), judged on the province totals
    compiler: object
    director: object
    # (period number, unit id) → the figures written (or that would be written for a
    # missing report), used to build the results file of the import step.
    figures: dict[tuple[int, int], dict] = field(default_factory=dict)

    @property
    def reporting_units(self) -> list[Unit]:
        return [self.department, *self.offices]

    def period(self, number: int) -> Period:
        return next(p for p in self.periods if p.number == number)


def _office_row(rng: random.Random, index: int) -> tuple[str, str, demo.OfficeRow]:
    model = demo.LOCAL_OFFICES[index % len(demo.LOCAL_OFFICES)]
    scale = rng.uniform(0.5, 1.8)
    row = demo.OfficeRow(
        code=model.code, district=model.district,
        size=max(20, round(model.size * scale)), jobs=max(5, round(model.jobs * scale)),
        base=rng.randint(935, 958), nonpublic=rng.randint(28, 60), yoy=rng.randint(1025, 1075),
    )
    code = f"{model.code}{index + 1:04d}"
    name = f"BHXH cơ sở {model.district} {index // len(demo.LOCAL_OFFICES) + 1}"
    return code, name, row


def _month(rng: random.Random, threshold: Decimal, *, strong: bool = False) -> demo.Month:
    """One office's results at a period's end, drawn around the period's threshold; a
    `strong` office passes every criterion."""
    t = float(threshold)
    if strong:
        return demo.Month(rate=f"{t + rng.uniform(3, 8):.1f}", revenue=f"{t + rng.uniform(2, 6):.1f}",
                          late=f"{rng.uniform(1.0, 2.5):.1f}")
    lag = rng.choice(("mandatory", "voluntary", "health")) if rng.random() < LAG_SHARE else ""
    return demo.Month(
        rate=f"{t + rng.gauss(1.5, 4.0):.1f}",
        revenue=f"{max(10.0, t + rng.gauss(1.0, 3.0)):.1f}",
        late=f"{rng.uniform(1.2, 4.6):.1f}",
        interest=f"{rng.uniform(0.4, 2.3):.1f}" if rng.random() < 0.15 else None,
        lag=lag,
    )


def _groups() -> dict[str, Group]:
    # The role groups come from a data migration; `flush` between sizes empties them.
    return {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}


def _user(username: str, unit: Unit, role: str, groups):
    User = get_user_model()
    user = User(username=username, first_name="Bench", last_name=username)
    user.set_unusable_password()  # the benchmark logs in with force_login
    user.save()
    user.groups.add(groups[role])
    Person.objects.create(full_name=f"Người thử {username}", unit=unit, user=user, title="Chuyên viên")
    return user


def build_campaign(*, offices: int, seed: int = SEED, staff: bool = True,
                   passing: int = 0, reports: bool = True) -> BenchCampaign:
    """A campaign with `offices` local offices, the demo's departments, three periods (all
    open) and, unless `reports` is False (the load test types them), every period's reports.
    The caller decides which periods to roll up. The first `passing` offices meet every
    criterion and report every month (so that a small campaign still fills the prize
    ladder)."""
    rng = random.Random(f"{seed}:{offices}")
    groups = _groups()

    departments = Unit.objects.bulk_create([
        Unit(code=code, name=name, kind=Unit.Kind.DEPARTMENT, order=order,
             is_collection_department=code == demo.COLLECTION_DEPARTMENT,
             is_directorate=code == demo.DIRECTORATE)
        for code, name, order, _ in demo.DEPARTMENTS
    ])
    by_code = {u.code: u for u in departments}
    rows = [_office_row(rng, i) for i in range(offices)]
    office_units = Unit.objects.bulk_create([
        Unit(code=code, name=name, kind=Unit.Kind.LOCAL_OFFICE,
             order=demo.LOCAL_OFFICE_ORDER_START + i)
        for i, (code, name, _) in enumerate(rows)
    ])
    department = by_code[demo.COLLECTION_DEPARTMENT]

    # The demo's campaign, periods and ladder under the bench's own code.
    definition = load_definition(demo.CAMPAIGN_FILE.read_text(encoding="utf-8"))
    campaign = campaign_load(definition=replace(definition, code=CAMPAIGN_CODE)).campaign
    periods = list(campaign.periods.order_by("number"))

    compiler = _user("bench.qlt", department, Role.COMPILER, groups)
    director = _user("bench.giamdoc", by_code["BGD"], Role.DIRECTOR, groups)

    # Targets: each office's, and the province's (offices + the direct part) for QLT.
    office_targets = [demo.office_target(row) for _, _, row in rows]
    direct = demo.direct_target()
    parts = [*office_targets, direct]
    province = {name: sum(p[name] for p in parts) for name in direct if name.endswith(("_plan", "_base"))}
    province.update(late_max=demo.LATE_MAX, late_interest_max=demo.LATE_INTEREST_MAX)
    Target.objects.bulk_create(
        [Target(campaign=campaign, unit=u, updated_by=compiler, **t)
         for u, t in zip(office_units, office_targets, strict=True)]
        + [Target(campaign=campaign, unit=department, updated_by=compiler, **province)]
    )

    bench = BenchCampaign(size=offices, campaign=campaign, periods=periods, offices=office_units,
                          department=department, compiler=compiler, director=director)

    if reports:
        written = []
        for period in periods:
            last = period.number == len(periods)
            missing = OPEN_MISSING_SHARE if last else CLOSED_MISSING_SHARE
            drafts = OPEN_DRAFT_SHARE if last else 0.0
            basis = [(department, direct, demo.DIRECT_MONTHS[period.number - 1],
                      demo.DIRECT["nonpublic"], demo.DIRECT["yoy"])]
            basis += [(u, t, _month(rng, period.participant_threshold, strong=i < passing),
                       row.nonpublic, row.yoy)
                      for i, (u, t, (_, _, row)) in enumerate(
                          zip(office_units, office_targets, rows, strict=True))]
            for index, (unit, target, month, nonpublic, yoy) in enumerate(basis):
                figures = demo.month_figures(target, month, nonpublic=nonpublic, yoy=yoy)
                bench.figures[period.number, unit.pk] = figures
                draw = 1.0 if index <= passing else rng.random()  # index 0 is the department
                if unit is not department and draw < missing:
                    continue
                draft = unit is not department and draw < missing + drafts
                author = compiler
                written.append(Report(
                    period=period, unit=unit, **figures,
                    status=Report.Status.DRAFT if draft else Report.Status.SUBMITTED,
                    submitted_at=None if draft else demo.submitted_at(period.last_day, index),
                    submitted_by=None if draft else author, updated_by=author,
                ))
        written = Report.objects.bulk_create(written, batch_size=2000)
        ReportEvent.objects.bulk_create([
            ReportEvent(report=r, actor=r.updated_by,
                        action=ReportEvent.Action.SUBMITTED if r.is_submitted else ReportEvent.Action.SAVED)
            for r in written
        ], batch_size=2000)

    if staff:
        # Tens of thousands of staff at national scale; no page of the benchmark lists them,
        # but they make the tables the size they would be.
        people = []
        serial = 0
        for unit, (_, _, row) in zip(office_units, rows, strict=True):
            for k in range(demo.office_staff_count(row)):
                name = (f"{demo.FAMILY_NAMES[serial % 16]} "
                        f"{demo.GIVEN_NAMES[(7 * serial) % 30]}")
                people.append(Person(full_name=name, unit=unit,
                                     title=demo.TITLES[Unit.Kind.LOCAL_OFFICE][k]))
                serial += 1
        Person.objects.bulk_create(people, batch_size=2000)
    return bench


def results_file(bench: BenchCampaign, number: int, bump: int) -> bytes:
    """The month's results as the collection system would export them: one row per reporting
    unit, every figure of period `number` with `bump` more people on each scheme, so every
    row is a change (and missing reports are new ones)."""
    period = bench.period(number)
    rows = []
    for unit in bench.reporting_units:
        figures = dict(bench.figures[number, unit.pk])
        for scheme in ("mandatory", "voluntary", "health"):
            figures[f"{scheme}_actual"] += bump
        rows.append((unit, Report(period=period, unit=unit, status=Report.Status.SUBMITTED,
                                  source=Report.Source.IMPORT, **figures)))
    return xlsx.export_reports(period=period, rows=rows)


def workbook_rows(data: bytes) -> int:
    """Data rows in a results file (a check that the file is what the step imports)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return sum(1 for row in sheet.iter_rows(min_row=xlsx.FIRST_DATA_ROW, values_only=True) if row[0])


def staff_logins(province: BenchCampaign, *, password: str, prefix: str) -> list[tuple[str, str]]:
    """One unit-staff login per local office, `<prefix>01`, `<prefix>02`…, all with
    `password`; returns [(username, unit code)]. The password is hashed once for all: hashing
    it per login would take a minute at 50."""
    User = get_user_model()
    hashed = make_password(password)
    units = province.offices
    users = User.objects.bulk_create([
        User(username=f"{prefix}{n:02d}", password=hashed, first_name=f"Cán bộ {n:02d}")
        for n in range(1, len(units) + 1)
    ])
    _groups()[Role.UNIT_STAFF].user_set.add(*users)
    Person.objects.bulk_create([
        Person(full_name=f"Cán bộ thử tải {unit.code}", unit=unit, user=user, title="Chuyên viên")
        for unit, user in zip(units, users, strict=True)
    ])
    return [(user.username, unit.code) for user, unit in zip(users, units, strict=True)]
