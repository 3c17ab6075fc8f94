"""Reads of the awards app. Query counts stay flat whatever the number of units, lines,
people or periods: related rows come in with select_related/prefetch_related, sums with
subqueries, and the summaries are folded in Python over one query each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaign.models import Campaign, Period
from scoring.models import Nomination
from scoring.templatetags.scoring_tags import PRIZE_LABELS
from units.models import Person, Unit
from units.names import vietnamese_sort_key

from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual, Prize
from .services import period_nominations, province_may_be_proposed, ranked_offices
from .words import amount_in_words

State = Dossier.State
DECIDED = list(Dossier.DECIDED_STATES)


# --- totals ---------------------------------------------------------------------------------------

def _sum_subquery(queryset, group_by: str, value: str):
    return Coalesce(
        Subquery(
            queryset.values(group_by).annotate(total=Sum(value)).values("total")[:1],
            output_field=BigIntegerField(),
        ),
        Value(0), output_field=BigIntegerField(),
    )


def with_totals(queryset):
    """Annotate dossiers with collective_total, individual_total (đồng) and their counts."""
    lines = AwardLine.objects.filter(dossier=OuterRef("pk"))
    people = Individual.objects.filter(line__dossier=OuterRef("pk"))
    return queryset.annotate(
        collective_total=_sum_subquery(lines, "dossier", "amount"),
        individual_total=_sum_subquery(people, "line__dossier", "amount"),
        line_count=Coalesce(Subquery(lines.values("dossier").annotate(n=Count("pk")).values("n")[:1]), 0),
        individual_count=Coalesce(
            Subquery(people.values("line__dossier").annotate(n=Count("pk")).values("n")[:1]), 0
        ),
    )


def dossier_total(dossier: Dossier) -> int:
    """Collectives plus individuals, in đồng (R16)."""
    row = with_totals(Dossier.objects.filter(pk=dossier.pk)).values("collective_total", "individual_total").get()
    return row["collective_total"] + row["individual_total"]


def approved_total(campaign: Campaign, *, exclude: Dossier | None = None) -> int:
    """What the campaign's approved and paid dossiers commit against its budget."""
    queryset = with_totals(Dossier.objects.filter(period__campaign=campaign, state__in=DECIDED))
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return sum(d.collective_total + d.individual_total for d in queryset)


# --- lists and the dossier page ------------------------------------------------------------

def current_dossier(period: Period) -> Dossier | None:
    return Dossier.objects.filter(period=period).exclude(state=State.CANCELLED).first()


def dossier_rows(campaign: Campaign | None):
    if campaign is None:
        return Dossier.objects.none()
    return with_totals(
        Dossier.objects.filter(period__campaign=campaign).select_related("period")
    ).order_by("period__number", "-created_at", "-id")


def dossier_for_page(pk: int) -> Dossier:
    individuals = Individual.objects.select_related("person__unit").order_by("-has_initiative", "slot")
    return (
        with_totals(Dossier.objects.filter(pk=pk))
        .select_related("period__campaign", "snapshot", "approved_by", "cancelled_by")
        .defer("snapshot__inputs")  # the standings are read, the 0.7 MB of stored inputs are not
        .prefetch_related(
            Prefetch("lines", queryset=AwardLine.objects.select_related("unit").prefetch_related(
                Prefetch("individuals", queryset=individuals)).order_by("position")),
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor").order_by("at", "id")),
            Prefetch("changes", queryset=DossierChange.objects.select_related("actor", "unit", "person")),
            Prefetch("exclusions", queryset=Exclusion.objects.select_related("unit", "created_by")),
        )
        .get()
    )


@dataclass(frozen=True)
class Candidate:
    """A row of the candidate list (R14): a ranked office or a nominated department."""

    unit: Unit
    kind: str  # "office" | "department"
    rank: int | None = None
    line: AwardLine | None = None
    exclusion: Exclusion | None = None
    nomination: Nomination | None = None
    blocked_reason: str = ""  # why a nomination takes no part (R12)

    @property
    def dropped(self) -> bool:
        return self.exclusion is not None


def candidates(dossier: Dossier) -> list[Candidate]:
    """Ranked local offices (dropped ones flagged), then nominated departments in order.

    Expects `dossier` from `dossier_for_page` (lines and exclusions prefetched)."""
    snapshot = dossier.snapshot
    lines = {line.unit.code: line for line in dossier.lines.all()}
    exclusions = {e.unit.code: e for e in dossier.exclusions.all()}
    ranked = ranked_offices(snapshot)
    ranks = {code: position for position, code in enumerate(ranked, start=1)}
    nominations = period_nominations(dossier.period)
    units = Unit.objects.in_bulk(ranked, field_name="code")
    rows = [
        Candidate(unit=units[code], kind="office", rank=ranks[code], line=lines.get(code),
                  exclusion=exclusions.get(code))
        for code in ranked if code in units
    ]
    province_ok = province_may_be_proposed(snapshot)
    for nomination in nominations:
        blocked = ""
        if nomination.unit.is_collection_department and not province_ok:
            blocked = "Số liệu toàn tỉnh chưa đạt đủ C1, C2, C3: không được xét."
        rows.append(Candidate(unit=nomination.unit, kind="department", line=lines.get(nomination.unit.code),
                              nomination=nomination, blocked_reason=blocked))
    return rows


def nominable_departments(dossier: Dossier):
    """Departments the compiler may still nominate (R13; the collection department per R12)."""
    queryset = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, active=True, is_directorate=False).exclude(
        pk__in=Nomination.objects.filter(period=dossier.period).values("unit")
    )
    if not province_may_be_proposed(dossier.snapshot):
        queryset = queryset.exclude(is_collection_department=True)
    return queryset.order_by("order", "code")


def people_for_lines(dossier: Dossier) -> dict[int, list[Person]]:
    """Active staff of each prized collective not yet proposed, by line id (one query)."""
    lines = list(dossier.lines.all())
    taken = {i.person_id for line in lines for i in line.individuals.all()}
    by_unit = defaultdict(list)
    people = Person.objects.filter(unit__in=[line.unit_id for line in lines], active=True)
    for person in sorted(people, key=lambda p: vietnamese_sort_key(p.full_name)):
        if person.pk not in taken:
            by_unit[person.unit_id].append(person)
    return {line.pk: by_unit[line.unit_id] for line in lines}


# --- the budget (R16) ---------------------------------------------------------------------------

@dataclass
class BudgetRow:
    period: Period
    dossier: Dossier | None
    proposed: int = 0
    approved: int = 0
    paid: int = 0

    @property
    def unpaid(self) -> int:
        return self.approved - self.paid


@dataclass
class Budget:
    campaign: Campaign
    rows: list[BudgetRow] = field(default_factory=list)

    @property
    def budget(self) -> int:
        return self.campaign.budget

    @property
    def proposed(self) -> int:
        return sum(r.proposed for r in self.rows)

    @property
    def approved(self) -> int:
        return sum(r.approved for r in self.rows)

    @property
    def paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def remaining(self) -> int:
        """Budget not yet committed by an approval."""
        return self.budget - self.approved

    @property
    def remaining_if_all_approved(self) -> int:
        return self.budget - self.proposed

    @property
    def unpaid(self) -> int:
        return self.approved - self.paid


def budget_overview(campaign: Campaign) -> Budget:
    """Per period and in total: proposed (the current dossier, whatever its state), approved
    (approved or paid), paid; and what remains of the campaign's budget. Two queries."""
    current = {
        d.period_id: d
        for d in with_totals(Dossier.objects.filter(period__campaign=campaign).exclude(state=State.CANCELLED))
    }
    budget = Budget(campaign=campaign)
    for period in campaign.periods.order_by("number"):
        dossier = current.get(period.pk)
        row = BudgetRow(period=period, dossier=dossier)
        if dossier is not None:
            total = dossier.collective_total + dossier.individual_total
            row.proposed = total
            row.approved = total if dossier.state in DECIDED else 0
            row.paid = total if dossier.state == State.PAID else 0
        budget.rows.append(row)
    return budget


# --- the campaign summary ---------------------------------------------------------------------

@dataclass
class UnitSummary:
    unit: Unit
    prizes: dict[str, int] = field(default_factory=lambda: {p: 0 for p in Prize.values})
    amount: int = 0
    individuals: int = 0
    individual_amount: int = 0
    periods: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.prizes.values())

    @property
    def total(self) -> int:
        return self.amount + self.individual_amount


@dataclass
class PersonSummary:
    person: Person
    count: int = 0
    amount: int = 0
    initiatives: int = 0
    periods: list[str] = field(default_factory=list)


@dataclass
class Summary:
    campaign: Campaign
    units: list[UnitSummary]
    people: list[PersonSummary]

    @property
    def total(self) -> int:
        return sum(u.total for u in self.units)


def campaign_summary(campaign: Campaign) -> Summary:
    """Per unit and per person, the prizes won across the campaign's periods (approved or
    paid dossiers only) and the amounts; the dispatch counts these in the annual review."""
    units: dict[int, UnitSummary] = {}
    lines = (
        AwardLine.objects.filter(dossier__period__campaign=campaign, dossier__state__in=DECIDED)
        .select_related("unit", "dossier__period").order_by("dossier__period__number", "position")
    )
    for line in lines:
        row = units.setdefault(line.unit_id, UnitSummary(unit=line.unit))
        row.prizes[line.prize] += 1
        row.amount += line.amount
        row.periods.append(f"{line.get_prize_display()} {line.dossier.period.name}")
    people: dict[int, PersonSummary] = {}
    individuals = (
        Individual.objects.filter(line__dossier__period__campaign=campaign, line__dossier__state__in=DECIDED)
        .select_related("person__unit", "line__unit", "line__dossier__period")
        .order_by("line__dossier__period__number", "line__position", "-has_initiative", "slot")
    )
    for individual in individuals:
        row = people.setdefault(individual.person_id, PersonSummary(person=individual.person))
        row.count += 1
        row.amount += individual.amount
        row.initiatives += int(individual.has_initiative)
        row.periods.append(individual.line.dossier.period.name)
        unit_row = units.setdefault(individual.line.unit_id, UnitSummary(unit=individual.line.unit))
        unit_row.individuals += 1
        unit_row.individual_amount += individual.amount
    order = {Prize.FIRST: 0, Prize.SECOND: 1, Prize.THIRD: 2}
    unit_rows = sorted(
        units.values(),
        key=lambda u: (-u.total, *(-u.prizes[p] for p in sorted(order, key=order.get)), u.unit.code),
    )
    person_rows = sorted(people.values(), key=lambda p: (-p.amount, -p.initiatives,
                                                          vietnamese_sort_key(p.person.full_name)))
    return Summary(campaign=campaign, units=unit_rows, people=person_rows)


# --- what the documents say ---------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentIndividual:
    number: int
    individual: Individual
    line: AwardLine


def _event_date(dossier: Dossier, action: str) -> dt.date | None:
    events = [e for e in dossier.events.all() if e.action == action]
    return timezone.localdate(events[-1].at) if events else None


def _signer_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.username


def ladder_text(ladder: list[str]) -> str:
    """The prize structure as the memo states it, two digits in the official style:
    "tối đa 05 tập thể mỗi tháng: 01 giải Nhất, 01 giải Nhì, 03 giải Ba"."""
    counts = [(ladder.count(prize), label) for prize, label in PRIZE_LABELS.items() if prize in ladder]
    parts = ", ".join(f"{count:02d} {label[:1].lower()}{label[1:]}" for count, label in counts)
    return f"tối đa {len(ladder):02d} tập thể mỗi tháng: {parts}"


@dataclass(frozen=True)
class DocumentPeriod:
    number: int
    name: str
    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class DocumentCampaign:
    code: str
    name: str
    legal_basis: str


def documented_period_and_campaign(dossier: Dossier) -> tuple[DocumentPeriod, DocumentCampaign]:
    """The period and campaign as the roll-up saw them (stored in the snapshot), so that a
    document prints what was decided rather than today's settings. Snapshots stored before
    the roll-up kept them fall back to the rows, read-only while the period is locked."""
    applied = dossier.snapshot.applied_settings
    period, campaign = dossier.period, dossier.period.campaign
    stored_period, stored_campaign = applied.get("period"), applied.get("campaign")
    if stored_period:
        documented_period = DocumentPeriod(
            number=stored_period["number"], name=stored_period["name"],
            first_day=dt.date.fromisoformat(stored_period["first_day"]),
            last_day=dt.date.fromisoformat(stored_period["last_day"]),
        )
    else:
        documented_period = DocumentPeriod(number=period.number, name=period.name,
                                           first_day=period.first_day, last_day=period.last_day)
    source = stored_campaign or {"code": campaign.code, "name": campaign.name,
                                 "legal_basis": campaign.legal_basis}
    return documented_period, DocumentCampaign(**source)


def document_context(dossier: Dossier) -> dict:
    """Everything the memo, the decision and the award list print, from one dossier read
    through `dossier_for_page`."""
    lines = list(dossier.lines.all())
    individuals = []
    number = 0
    for line in lines:
        for individual in line.individuals.all():  # initiatives first (R15)
            number += 1
            individuals.append(DocumentIndividual(number=number, individual=individual, line=line))
    collective_total = sum(line.amount for line in lines)
    individual_total = sum(i.individual.amount for i in individuals)
    total = collective_total + individual_total
    snapshot = dossier.snapshot
    document = snapshot.document
    standings = document.get("standings", [])
    collection = Unit.objects.filter(is_collection_department=True).first()
    memo_signer = (
        Person.objects.filter(unit=collection, active=True, title__iexact="Trưởng phòng").first()
        if collection else None
    )
    nominations = {n.unit_id: n for n in period_nominations(dossier.period)}
    period, campaign = documented_period_and_campaign(dossier)
    return {
        "dossier": dossier,
        "period": period,
        "campaign": campaign,
        "is_draft": not dossier.is_decided,
        "lines": lines,
        "line_reasons": {line.pk: nominations[line.unit_id].reason for line in lines
                         if line.unit_id in nominations},
        "individuals": individuals,
        "collective_total": collective_total,
        "individual_total": individual_total,
        "total": total,
        "total_words": amount_in_words(total),
        "standings": standings,
        "ranked": [row for row in standings if row.get("rank")],
        "not_ranked": [row for row in standings if not row.get("rank")],
        "province": document.get("province"),
        "snapshot": snapshot,
        "applied": snapshot.applied_settings,
        "ladder_text": ladder_text(snapshot.applied_settings["ladder"]),
        "collection_department": collection,
        "memo_symbol": f"TTr-{collection.code}" if collection else "TTr",
        "memo_date": _event_date(dossier, DossierEvent.Action.SUBMITTED) or timezone.localdate(),
        "memo_signer": memo_signer.full_name if memo_signer else "",
        "decision_signer": _signer_name(dossier.approved_by) if dossier.is_decided else "",
        # An unsigned decision's year: the one it can be signed in, from the roll-up on (a
        # December is decided in January), not the campaign's.
        "blank_year": max(timezone.localdate(),
                          timezone.localtime(dossier.period.rollup_due_at).date()).year,
        "exclusions": list(dossier.exclusions.all()),
    }
