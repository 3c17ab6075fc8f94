"""R14: the proposed collective prizes of a period, as a pure function (standard library only).

Candidates are the ranked eligible local offices first ("ưu tiên các tập thể ở cơ sở"),
then the departments the compiler nominated, in the compiler's order. Prizes go down that
list along the ladder first, second, third, third, third. Fewer candidates, fewer prizes:
no prize is mandatory. The compiler may still change the proposal afterwards (with a
reason); that is recorded elsewhere, not here.
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


def allocate(
    ranked_local_offices: Sequence[str],
    nominated_departments: Sequence[str],
    ladder: Sequence[str] = PRIZE_LADDER,
) -> tuple[Proposal, ...]:
    """Give the ladder's prizes, in order, to the candidates, in order.

    `ranked_local_offices` are unit codes in rank order (eligible ones only);
    `nominated_departments` are unit codes in the compiler's order. The caller decides
    whether the collection department is among the nominations (R12: only when the
    province totals meet C1-C3, see `collection_department_may_be_proposed`).
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


def collection_department_may_be_proposed(province_standing) -> bool:
    """R12: the collection department may be proposed only when C1, C2 and C3 hold on the
    province totals (`province_standing` is engine.evaluate_province's result)."""
    return province_standing.has_target and all(c.holds for c in province_standing.criteria)
