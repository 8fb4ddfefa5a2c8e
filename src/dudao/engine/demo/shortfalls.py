"""Planned shortfalls: which schools fall below which standard, and by how much."""

from __future__ import annotations

import random

from dudao.engine.demo.school import (
    _ALL_INDICATORS,
    _CONTINUOUS,
    _POINT,
    _PRIVATE,
    _SPECIAL,
    _TOWN,
    _School,
)


def _uniform(rng: random.Random, lo: float, hi: float) -> float:
    return lo + (hi - lo) * rng.random()


def _included(school: _School) -> bool:
    if school.type in (_SPECIAL, "职业学校"):
        return False
    return not (school.type == _POINT and school.students[0] < 50)


def _assign_shortfalls(rng: random.Random, schools: list[_School], hotspot: bool) -> None:
    """Give a few schools indicators below standard: fails, and near misses that still pass.

    With ``hotspot`` a few town primary schools get far more equipment than the rest.
    """
    eligible = [s for s in schools if _included(s)]
    if len(eligible) < 5:
        return
    n_fail = max(1, round(len(eligible) * _uniform(rng, 0.11, 0.18)))
    n_near = max(1, round(len(eligible) * _uniform(rng, 0.05, 0.10)))
    # The biggest primary school lacks playground space; a private school lacks teachers.
    failing: list[_School] = [eligible[0]]
    failing += [s for s in eligible if s.ownership == _PRIVATE][:1]
    rest = [s for s in eligible if s not in failing]
    rng.shuffle(rest)
    more = max(0, n_fail - len(failing))
    failing += rest[:more]
    near = rest[more : more + n_near]

    eligible[0].plan[4] = _uniform(rng, 0.55, 0.8)
    for school in failing[1:]:
        if school.ownership == _PRIVATE:
            school.plan[1] = _uniform(rng, 0.3, 0.7)
            school.plan[0] = _uniform(rng, 0.88, 0.97)
        elif rng.random() < 0.55:  # two unmet indicators, each above the 85% floor
            first, second = rng.sample(_ALL_INDICATORS, 2)
            school.plan[first] = _uniform(rng, 0.88, 0.98)
            school.plan[second] = _uniform(rng, 0.88, 0.98)
        else:  # one indicator below the 85% floor
            school.plan[rng.choice(_ALL_INDICATORS)] = _uniform(rng, 0.55, 0.82)
    for school in near:
        school.plan[rng.choice(_CONTINUOUS)] = _uniform(rng, 0.87, 0.98)
    if hotspot:
        # A few town schools got a new equipment project: far above the rest, a CV over the limit.
        lucky = [s for s in eligible if s.type == "小学" and s.area == _TOWN and not s.plan]
        for school in lucky[: max(2, len(lucky) // 3)]:
            school.plan[5] = _uniform(rng, 4.0, 5.0)
