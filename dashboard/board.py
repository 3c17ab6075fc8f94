"""Reads for the public board (bảng công khai): the office's lobby screen.

What it shows is what the office has made public, never work in progress:
- the latest rolled-up month, read from its current snapshot (the standings as decided), with
  its prizes: the snapshot's proposals while the dossier is being prepared, the dossier's lines
  once the director has approved them (what was decided, after any candidate was set aside);
- the open month's progress as counts only: how many local offices have submitted. No
  provisional ranking is computed here, so no figure of a draft, nor of a submitted report
  not yet rolled up, can reach the screen.

A fixed number of queries whatever the number of units. The lobby's link (BoardLink) is
looked up here too, by the hash of its token.
"""

from dataclasses import dataclass

from django.db.models import Q

from awards.models import AwardLine, Dossier
from campaign.models import Campaign, Period, Report
from scoring.models import Snapshot
from units.models import Unit

from .models import BoardLink, token_hash

# A 1920×1080 screen holds this many ranked rows in the board's type; at national scale the
# rest are counted, and the ranking page lists them all.
BOARD_ROWS = 12
DECIDED_STATES = (Dossier.State.APPROVED, Dossier.State.PAID)


@dataclass(frozen=True)
class BoardRow:
    rank: int
    name: str
    participant_rate: str | None  # R4, as the snapshot stored it ("85.4")
    prize: str | None


@dataclass(frozen=True)
class BoardPrize:
    prize_name: str
    unit_name: str
    amount: int


@dataclass(frozen=True)
class OpenMonth:
    period: Period
    submitted: int
    expected: int


@dataclass(frozen=True)
class Board:
    campaign: Campaign | None
    snapshot: Snapshot | None = None
    period_name: str = ""
    decimals: int = 1
    rows: tuple[BoardRow, ...] = ()
    more_ranked: int = 0
    not_eligible: int = 0  # submitted, short of a criterion
    unreported: int = 0  # no submitted report at the roll-up (R9)
    prizes: tuple[BoardPrize, ...] = ()
    dossier: Dossier | None = None
    open_month: OpenMonth | None = None

    @property
    def decided(self) -> bool:
        return self.dossier is not None and self.dossier.state in DECIDED_STATES


def board_link_for_token(token: str) -> BoardLink | None:
    """The link whose token this is, revoked or not; None for a token never issued."""
    return BoardLink.objects.filter(token_hash=token_hash(token)).first()


def board_links() -> list[BoardLink]:
    return list(BoardLink.objects.select_related("created_by", "revoked_by"))


def _latest_snapshot(campaign: Campaign) -> Snapshot | None:
    # The stored inputs (every unit's figures) are never shown here.
    return (Snapshot.objects.filter(period__campaign=campaign, superseded_at__isnull=True)
            .select_related("period").defer("inputs").order_by("-period__number").first())


def _prizes(snapshot: Snapshot, dossier: Dossier | None) -> tuple[list[BoardPrize], dict[str, str]]:
    """The prizes in ladder order and unit code → prize name."""
    if dossier is not None and dossier.state in DECIDED_STATES:
        lines = AwardLine.objects.filter(dossier=dossier).select_related("unit").order_by("position")
        prizes = [(line.unit.code, BoardPrize(line.prize_name, line.unit.name, line.amount))
                  for line in lines]
    else:
        prizes = [(a["unit"], BoardPrize(a["prize_name"], a["name"], a["amount"]))
                  for a in snapshot.document.get("awards", [])]
    return [p for _, p in prizes], {code: p.prize_name for code, p in prizes}


def _open_month(campaign: Campaign) -> OpenMonth | None:
    period = campaign.periods.filter(status=Period.Status.OPEN).order_by("number").first()
    if period is None:
        return None
    offices = Q(active=True, kind=Unit.Kind.LOCAL_OFFICE)
    submitted = Report.objects.filter(
        period=period, status=Report.Status.SUBMITTED,
        unit__in=Unit.objects.filter(offices),
    ).count()
    return OpenMonth(period=period, submitted=submitted, expected=Unit.objects.filter(offices).count())


def public_board(campaign: Campaign | None) -> Board:
    if campaign is None:
        return Board(campaign=None)
    open_month = _open_month(campaign)
    snapshot = _latest_snapshot(campaign)
    if snapshot is None:
        return Board(campaign=campaign, open_month=open_month)
    document = snapshot.document
    dossier = Dossier.objects.filter(snapshot=snapshot).exclude(state=Dossier.State.CANCELLED).first()
    prizes, prize_of = _prizes(snapshot, dossier)
    ranked = sorted((r for r in document["standings"] if r.get("rank") is not None),
                    key=lambda r: r["rank"])
    rows = tuple(
        BoardRow(rank=r["rank"], name=r.get("name", r["unit"]),
                 participant_rate=r["metrics"].get("participant_rate"), prize=prize_of.get(r["unit"]))
        for r in ranked[:BOARD_ROWS]
    )
    return Board(
        campaign=campaign, snapshot=snapshot,
        period_name=(snapshot.applied_settings.get("period") or {}).get("name") or snapshot.period.name,
        decimals=document.get("tie_decimals", campaign.tie_decimals),
        rows=rows, more_ranked=max(0, len(ranked) - BOARD_ROWS),
        not_eligible=sum(1 for r in document["standings"]
                         if r.get("rank") is None and r["report"] == "submitted"),
        unreported=sum(1 for r in document["standings"] if r["report"] != "submitted"),
        prizes=tuple(prizes), dossier=dossier, open_month=open_month,
    )
