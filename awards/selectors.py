"""Reads of the awards app. Query counts stay flat whatever the number of units, lines,
people or periods: related rows come in with select_related/prefetch_related, sums with
subqueries, and the summaries are folded in Python over one query each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Count, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaign.lifecycle import SETTLED_DOSSIER_STATES
from campaign.models import Campaign, Period
from scoring.models import Nomination, Snapshot
from scoring.selectors import period_nominations
from units.models import Person, Unit
from units.names import vietnamese_sort_key

from .access import may
from .models import AwardLine, Dossier, DossierChange, DossierEvent, Exclusion, Individual, Payment

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


# --- payments: each collective and each person of a decided dossier -------------------------

@dataclass(frozen=True)
class Recipient:
    """A prize of a dossier as finance pays it: a collective (its line) or a person (an
    individual of the line), with its standing payment if it has been paid."""

    line: AwardLine
    individual: Individual | None = None
    payment: Payment | None = None

    @property
    def kind(self) -> str:
        return "individual" if self.individual is not None else "line"

    @property
    def pk(self) -> int:
        return self.individual.pk if self.individual is not None else self.line.pk

    @property
    def amount(self) -> int:
        """The decided amount, which is what is paid."""
        return self.individual.amount if self.individual is not None else self.line.amount

    @property
    def name(self) -> str:
        return self.individual.person.full_name if self.individual is not None else self.line.unit.name

    @property
    def detail(self) -> str:
        if self.individual is not None:
            return f"cá nhân, {self.line.unit.name}"
        return self.line.prize_name

    @property
    def is_paid(self) -> bool:
        return self.payment is not None

    @property
    def paid(self) -> int:
        return self.payment.amount if self.payment is not None else 0


def standing_payments():
    return Payment.objects.filter(cancelled_at__isnull=True).select_related("recorded_by")


def recipients_of(dossiers) -> dict[int, list[Recipient]]:
    """Dossier id → its recipients, the collectives in the order of the ladder, then the
    persons (initiatives first, R15), as the decision's lists give them; four queries whatever
    the number of dossiers, lines or people."""
    individuals = (Individual.objects.select_related("person").order_by("-has_initiative", "slot")
                   .prefetch_related(Prefetch("payments", queryset=standing_payments(), to_attr="standing")))
    lines = (
        AwardLine.objects.filter(dossier__in=dossiers).select_related("unit")
        .prefetch_related(Prefetch("payments", queryset=standing_payments(), to_attr="standing"),
                          Prefetch("individuals", queryset=individuals))
        .order_by("dossier_id", "position")
    )
    collectives: dict[int, list[Recipient]] = defaultdict(list)
    people: dict[int, list[Recipient]] = defaultdict(list)
    for line in lines:
        collectives[line.dossier_id].append(Recipient(line, payment=next(iter(line.standing), None)))
        for individual in line.individuals.all():
            people[line.dossier_id].append(
                Recipient(line, individual, payment=next(iter(individual.standing), None)))
    return {pk: collectives[pk] + people[pk] for pk in collectives}


def unpaid_recipients(dossier: Dossier) -> list[Recipient]:
    return [r for r in recipients_of([dossier.pk]).get(dossier.pk, []) if not r.is_paid]


def chosen_unpaid(dossier: Dossier, *, line_ids, individual_ids) -> list[Recipient]:
    """The unpaid recipients of the dossier among those ticked; fewer than ticked when one is
    paid already or not of this dossier."""
    chosen = {("line", pk) for pk in line_ids} | {("individual", pk) for pk in individual_ids}
    found = [r for r in unpaid_recipients(dossier) if (r.kind, r.pk) in chosen]
    return found if len(found) == len(chosen) else []


@dataclass(frozen=True)
class PaymentOutcome:
    completes_dossier: bool  # the last unpaid recipients: the dossier becomes paid
    finishes_campaign: bool  # and with it the campaign (campaign.lifecycle): read-only from then


def payment_outcome(dossier: Dossier, count: int) -> PaymentOutcome:
    """What paying `count` of the dossier's unpaid recipients would settle, said before it is
    done: once the campaign is finished, a mistaken entry can no longer be cancelled."""
    completes = count >= len(unpaid_recipients(dossier))
    campaign = dossier.period.campaign
    finishes = (
        completes and campaign.end_date < timezone.localdate()
        and not campaign.periods.filter(status=Period.Status.OPEN).exists()
        and not Dossier.objects.filter(period__campaign=campaign).exclude(pk=dossier.pk)
        .exclude(state__in=SETTLED_DOSSIER_STATES).exists()
    )
    return PaymentOutcome(completes_dossier=completes, finishes_campaign=finishes)


def payment_of(dossier: Dossier, pk: int) -> Payment | None:
    return Payment.objects.filter(Q(line__dossier=dossier) | Q(individual__line__dossier=dossier), pk=pk).first()


def cancelled_payments(dossier: Dossier) -> list[Payment]:
    """The dossier's payment entries that were cancelled, with who and why, in the order they
    were made (the standing ones are on the recipients)."""
    return list(
        Payment.objects.filter(Q(line__dossier=dossier) | Q(individual__line__dossier=dossier),
                               cancelled_at__isnull=False)
        .select_related("line__unit", "individual__person", "individual__line__unit", "recorded_by",
                        "cancelled_by")
        .order_by("recorded_at", "id")
    )


def paid_totals(dossier_ids) -> dict[int, int]:
    """Dossier id → what its standing payments add up to, in đồng (one query)."""
    rows = (
        Payment.objects.filter(cancelled_at__isnull=True)
        .annotate(of_dossier=Coalesce("line__dossier_id", "individual__line__dossier_id"))
        .filter(of_dossier__in=list(dossier_ids))
        .values("of_dossier").annotate(total=Sum("amount")).values_list("of_dossier", "total")
    )
    return dict(rows)


# --- the budget (R16) ---------------------------------------------------------------------------

@dataclass
class BudgetRow:
    period: Period
    dossier: Dossier | None
    proposed: int = 0
    approved: int = 0
    paid: int = 0
    recipients: list[Recipient] = field(default_factory=list)  # a decided dossier's, per line

    @property
    def unpaid(self) -> int:
        return self.approved - self.paid

    @property
    def unpaid_count(self) -> int:
        return sum(1 for r in self.recipients if not r.is_paid)


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


def budget_overview(campaign: Campaign, *, per_recipient: bool = False,
                    periods: list[Period] | None = None) -> Budget:
    """Per period and in total: proposed (the current dossier, whatever its state), approved
    (approved or paid), paid (the standing payments of its recipients); and what remains of the
    campaign's budget. With `per_recipient`, each decided dossier's recipients too, committed
    and paid, line by line (the budget page; the dashboard shows the totals only). A fixed
    number of queries; `periods`, the campaign's periods in order when the caller has them,
    saves one."""
    current = {
        d.period_id: d
        for d in with_totals(Dossier.objects.filter(period__campaign=campaign).exclude(state=State.CANCELLED))
    }
    decided = [d.pk for d in current.values() if d.state in DECIDED]
    paid = paid_totals(decided) if decided else {}
    recipients = recipients_of(decided) if decided and per_recipient else {}
    budget = Budget(campaign=campaign)
    if periods is None:
        periods = campaign.periods.order_by("number")
    for period in periods:
        dossier = current.get(period.pk)
        row = BudgetRow(period=period, dossier=dossier)
        if dossier is not None:
            total = dossier.collective_total + dossier.individual_total
            row.proposed = total
            if dossier.state in DECIDED:
                row.approved = total
                row.paid = paid.get(dossier.pk, 0)
                row.recipients = recipients.get(dossier.pk, [])
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


def dossiers_waiting_for(user, campaign: Campaign | None, *, events: bool = True) -> list[Dossier]:
    """The campaign's current dossiers whose next step is the user's to take, each with
    `last_event` (when it started waiting, and the appraiser's comment on a returned one; None
    for all without `events`, when only their number is wanted)."""
    states = [state for state, step in NEXT_STEP.items() if may(user, step)]
    if campaign is None or not states:
        return []
    dossiers = (Dossier.objects.filter(period__campaign=campaign, state__in=states)
                .select_related("period").order_by("period__number"))
    if events:
        dossiers = dossiers.prefetch_related(Prefetch(
            "events", queryset=DossierEvent.objects.order_by("-at", "-id"), to_attr="events_newest_first"))
    dossiers = list(dossiers)
    for dossier in dossiers:
        newest = getattr(dossier, "events_newest_first", None)
        dossier.last_event = newest[0] if newest else None
    return dossiers
