"""Fairness of the draw: over many seeds every candidate is drawn about equally often.

Seeds are fixed ("s0" .. "s1999"), so the test is deterministic; the bound is ±5 standard
deviations of the binomial count, which a fair draw exceeds with probability below 1e-6 per
candidate, while a biased ranking (e.g. by code or by row order) is far outside it.
"""

from __future__ import annotations

import math
from collections import Counter

from dudao.engine.draw import InspectorCandidate, SchoolCandidate, draw

SEEDS = [f"s{k}" for k in range(2000)]


def within_binomial_bound(counts: Counter[str], names: list[str], p: float) -> list[str]:
    """The names whose count is more than 5 standard deviations away from the mean."""
    n = len(SEEDS)
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    return [name for name in names if abs(counts[name] - mean) > 5 * sd]


def test_each_of_20_schools_is_drawn_about_a_quarter_of_the_time_for_5_of_20() -> None:
    schools = [SchoolCandidate(f"S{k:02d}", f"第{k}校") for k in range(20)]
    inspectors = [InspectorCandidate(f"D{k}", f"督学{k}") for k in range(6)]
    counts: Counter[str] = Counter()
    for seed in SEEDS:
        counts.update(p.school.code for p in draw(seed, schools, inspectors, 5, 1).picks)
    assert sum(counts.values()) == 5 * len(SEEDS)
    assert within_binomial_bound(counts, [s.code for s in schools], 5 / 20) == []


def test_each_inspector_is_sent_about_equally_often_to_a_school() -> None:
    schools = [SchoolCandidate("S1", "一校")]
    inspectors = [InspectorCandidate(f"D{k}", f"督学{k}") for k in range(8)]
    counts: Counter[str] = Counter()
    for seed in SEEDS:
        counts.update(i.code for i in draw(seed, schools, inspectors, 1, 2).picks[0].inspectors)
    assert within_binomial_bound(counts, [i.code for i in inspectors], 2 / 8) == []
