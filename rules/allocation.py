"""R13-R16 of docs/rules.md: the proposed prizes of a period and what they cost, as pure
functions (standard library only). R1-R12 are in rules/engine.py.

Candidates are the ranked eligible local offices first ("ưu tiên các tập thể ở cơ sở"),
then the departments the compiler nominated, in the compiler's order. Prizes go down that
list along the campaign's ladder (1 first, 1 second, 3 third in the first campaign). Fewer candidates,
fewer prizes: no prize is mandatory. The compiler may still change the proposal afterwards
(with a reason); that is recorded elsewhere, not here.

A campaign here is anything with the Campaign model's prize settings (quotas, amounts,
individual quotas, the individual amount); nothing of Django is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FIRST = "first"
SECOND = "second"
THIRD = "third"

# §IV.1: at most 5 collectives a month: 1 first, 1 second, 3 third.
PRIZE_LADDER = (FIRST, SECOND, THIRD, THIRD, THIRD)


@dataclass(frozen=True)
class Proposal:
    unit: str  # unit code
    prize: str  # "first" | "second" | "third"
    position: int  # 1-based place on the ladder


# --- R12 — the collection department may be proposed ------------------------------------


def collection_department_may_be_proposed(province_standing) -> bool:
    """Only when C1, C2 and C3 hold on the province totals (`province_standing` is
    engine.evaluate_province's result)."""
    return province_standing.has_target and all(c.holds for c in province_standing.criteria)


# --- R13, R14 — collective prizes: offices first, then nominated departments --------------


def prize_ladder(campaign) -> tuple[str, ...]:
    """The ladder from the campaign's quotas, in the order first, second, third."""
    return (
        (FIRST,) * campaign.first_prize_quota
        + (SECOND,) * campaign.second_prize_quota
        + (THIRD,) * campaign.third_prize_quota
    )


def allocate(
    ranked_local_offices: Sequence[str],
    nominated_departments: Sequence[str],
    ladder: Sequence[str] = PRIZE_LADDER,
) -> tuple[Proposal, ...]:
    """Give the ladder's prizes, in order, to the candidates, in order.

    `ranked_local_offices` are unit codes in rank order (eligible ones only);
    `nominated_departments` are unit codes in the compiler's order (R13: the compiler
    nominates them, each with a reason). The caller decides whether the collection
    department is among the nominations (R12, `collection_department_may_be_proposed`).
    A unit named twice gets one prize, at its first place in the list.
    """
    candidates: list[str] = []
    for code in [*ranked_local_offices, *nominated_departments]:
        if code not in candidates:
            candidates.append(code)
    # zip stops at the shorter list: fewer candidates, fewer prizes; never past the ladder.
    pairs = zip(candidates, ladder, strict=False)
    return tuple(
        Proposal(unit=code, prize=prize, position=position)
        for position, (code, prize) in enumerate(pairs, start=1)
    )


# --- R15, R16 — individuals and amounts ---------------------------------------------------


def prize_terms(campaign) -> dict[str, dict]:
    """Per prize: the collective's amount (R16) and how many of its staff may be named (R15)."""
    return {
        FIRST: {"amount": campaign.first_prize_amount,
                "individual_quota": campaign.first_prize_individuals},
        SECOND: {"amount": campaign.second_prize_amount,
                 "individual_quota": campaign.second_prize_individuals},
        THIRD: {"amount": campaign.third_prize_amount,
                "individual_quota": campaign.third_prize_individuals},
    }


def monthly_prize_ceiling(campaign) -> int:
    """R16: the most a month can cost: every prize of the ladder with all its individuals."""
    terms = prize_terms(campaign)
    return sum(
        terms[prize]["amount"] + terms[prize]["individual_quota"] * campaign.individual_amount
        for prize in prize_ladder(campaign)
    )
