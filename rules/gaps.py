"""How far a unit is from a period's bounds, in people and in đồng (pure, no Django).

The unit panel says "còn thiếu 1.234 người tham gia BHYT để đạt 91 %": the smallest whole
number of participants, or đồng, that would make the criterion hold under R2-R8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .engine import SCHEMES, Result, Target, as_ratio


@dataclass(frozen=True)
class SchemeGap:
    scheme: str
    applicable: bool
    people_needed: int  # 0 when the scheme already holds
    aim: int  # participants to reach: the threshold's share of to_develop above base, or the plan


@dataclass(frozen=True)
class Gaps:
    schemes: tuple[SchemeGap, ...]
    revenue_needed: int | None  # đồng still to collect; None without a revenue plan
    late_to_recover: int  # đồng of late payments to recover to be at or under the ceiling
    late_interest_to_recover: int

    @property
    def all_clear(self) -> bool:
        return (
            all(g.people_needed == 0 for g in self.schemes)
            and self.revenue_needed == 0
            and self.late_to_recover == 0
            and self.late_interest_to_recover == 0
        )


def participants_aim(plan: int, base: int, threshold: Fraction) -> tuple[bool, int]:
    """R1-R2: the participants a scheme needs; the plan itself when nothing is to develop."""
    to_develop = plan - base
    if to_develop <= 0:
        return False, plan
    return True, base + math.ceil(threshold * to_develop)


def gaps(target: Target, result: Result, participant_threshold: Decimal,
         revenue_threshold: Decimal) -> Gaps:
    threshold = as_ratio(participant_threshold)
    scheme_gaps = []
    for scheme in SCHEMES:
        planned, reached = getattr(target, scheme), getattr(result, scheme)
        applicable, aim = participants_aim(planned.plan, planned.base, threshold)
        scheme_gaps.append(SchemeGap(scheme=scheme, applicable=applicable,
                                     people_needed=max(0, aim - reached.actual), aim=aim))

    revenue_needed = None
    if target.revenue_plan > 0:
        revenue_aim = math.ceil(as_ratio(revenue_threshold) * target.revenue_plan)
        revenue_needed = max(0, revenue_aim - result.revenue)

    # R8: late / due <= ceiling  <=>  late <= floor(ceiling * due). With nothing due the
    # ratios are 0 (R8), so C3 holds and nothing is to be recovered.
    late_to_recover = interest_to_recover = 0
    if result.due > 0:
        late_allowed = math.floor(as_ratio(target.late_max) * result.due)
        interest_allowed = math.floor(as_ratio(target.late_interest_max) * result.due)
        late_to_recover = max(0, result.late - late_allowed)
        interest_to_recover = max(0, result.late_interest - interest_allowed)
    return Gaps(
        schemes=tuple(scheme_gaps),
        revenue_needed=revenue_needed,
        late_to_recover=late_to_recover,
        late_interest_to_recover=interest_to_recover,
    )
