"""Reads of the awards app. Query counts stay flat whatever the number of units, lines,
people or periods: related rows come in with select_related/prefetch_related, sums with
subqueries, and the summaries are folded in Python over one query each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from campaign.models import Campaign, Period
from scoring.models import Nomination, Snapshot
from scoring.selectors import period_nominations
from units.models import Person, Unit
from units.names import vietnamese_sort_key

from .access import may
from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual

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


# --- what the stored standings say ------------------------------------------------------------

def province_may_be_proposed(snapshot: Snapshot) -> bool:
    """R12 on the stored standings: the province totals met C1, C2 and C3."""
    province = snapshot.document.get("province")
    return bool(province and province.get("eligible"))


def ranked_offices(snapshot: Snapshot) -> list[str]:
    rows = [r for r in snapshot.document.get("standings", []) if r.get("rank")]
    return [r["unit"] for r in sorted(rows, key=lambda r: r["rank"])]


def snapshot_ranks(snapshot: Snapshot) -> dict[str, int]:
    """Unit code → rank, for the ranked units of the stored standings."""
    return {row["unit"]: row["rank"] for row in snapshot.document.get("standings", []) if row.get("rank")}


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


def issued_decision(dossier_pk: int):
    """The decision as issued for the dossier, or None before approval."""
    from .models import IssuedDecision

    return IssuedDecision.objects.select_related("dossier__period").filter(dossier_id=dossier_pk).first()


# --- what waits for a user --------------------------------------------------------------------

# The step each state waits for; who may take it is access.ACTION_ROLES's answer.
NEXT_STEP = {
    State.DRAFT: "submit", State.RETURNED: "submit", State.SUBMITTED: "appraise",
    State.APPRAISED: "approve", State.APPROVED: "pay",
}


def dossiers_waiting_for(user, campaign: Campaign | None) -> list[Dossier]:
    """The campaign's current dossiers whose next step is the user's to take, each with
    `last_event` (when it started waiting, and the appraiser's comment on a returned one)."""
    states = [state for state, step in NEXT_STEP.items() if may(user, step)]
    if campaign is None or not states:
        return []
    dossiers = list(
        Dossier.objects.filter(period__campaign=campaign, state__in=states)
        .select_related("period")
        .prefetch_related(Prefetch("events", queryset=DossierEvent.objects.order_by("-at", "-id"),
                                   to_attr="events_newest_first"))
        .order_by("period__number")
    )
    for dossier in dossiers:
        dossier.last_event = dossier.events_newest_first[0] if dossier.events_newest_first else None
    return dossiers
