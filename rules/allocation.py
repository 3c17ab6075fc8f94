"""R13-R16 of docs/rules.md: the proposed prizes of a period and what they cost, as pure
functions (standard library only). R1-R12 are in rules/engine.py.

Candidates are the ranked eligible local offices first ("ưu tiên các tập thể ở cơ sở"),
then the departments the compiler nominated, in the compiler's order. Prizes go down that
list along the campaign's ladder: its levels in order, each given as many times as its
count (any number of levels, any counts, zero included). Fewer candidates, fewer prizes: no
prize is mandatory. The compiler may still change the proposal afterwards (with a reason);
that is recorded elsewhere, not here.

A level here is anything with a prize level's attributes (key, name, count, amount,
individuals); nothing of Django is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Proposal:
    unit: str  # unit code
    prize: str  # the key of its level on the ladder ("first", "khuyen-khich")
    position: int  # 1-based place on the ladder


# --- R12 — the collection department may be proposed ------------------------------------


def collection_department_may_be_proposed(province_standing) -> bool:
    """Only when C1, C2 and C3 hold on the province totals (`province_standing` is
    engine.evaluate_province's result)."""
    return province_standing.has_target and all(c.holds for c in province_standing.criteria)


# --- R13, R14 — collective prizes: offices first, then nominated departments --------------


def prize_ladder(levels: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The places of a period, in the order they are given: each level's key `count` times,
    the levels in their order. [("first", 1), ("third", 3)] -> first, third, third, third."""
    return tuple(key for key, count in levels for _ in range(count))


def allocate(
    ranked_local_offices: Sequence[str],
    nominated_departments: Sequence[str],
    ladder: Sequence[str],
) -> tuple[Proposal, ...]:
    """Give the ladder's prizes, in order, to the candidates, in order.

    `ranked_local_offices` are unit codes in rank order (eligible ones only);
    `nominated_departments` are unit codes in the compiler's order (R13: the compiler
    nominates them, each with a reason). The caller decides whether the collection
    department is among the nominations (R12, `collection_department_may_be_proposed`).
    A unit named twice gets one prize, at its first place in the list. `ladder` is the
    places in order (`prize_ladder`).
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


def prize_terms(levels: Iterable) -> dict[str, dict]:
    """Per level key: the collective's amount (R16), how many of its staff may be named
    (R15), and the level's name and place on the ladder, so that what was applied reads the
    same later whatever becomes of the campaign's ladder."""
    return {
        level.key: {"amount": level.amount, "individual_quota": level.individuals,
                    "name": level.name, "position": position}
        for position, level in enumerate(levels, start=1)
    }


def monthly_prize_ceiling(levels: Iterable, individual_amount: int) -> int:
    """R16: the most a month can cost: every prize of the ladder with all its individuals."""
    return sum(
        level.count * (level.amount + level.individuals * individual_amount) for level in levels
    )
