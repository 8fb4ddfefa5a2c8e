"""Deterministic synthetic base data (演示数据) for demos, tests and benchmarks.

Everything here is invented: county, township, village and school names, codes and figures. The
numbers are drawn around the 优质均衡 (教督〔2017〕6号) standards so that a demo county looks like a
real one preparing for evaluation: most school sections meet the 6-of-7 rule, roughly one in seven
fails (some with two unmet indicators, some with one far below the 85% floor), a few pass with
one indicator between 85% and 100% of its standard, the biggest urban primary school is over the
2000-student limit with crowded classes, small rural schools are generously resourced per
student, and the first county (and about a quarter of the others) has one primary-level CV over
its limit (a few town schools with a new equipment project). The first county always has a
private (民办) school.

Generation is pure: every county draws from its own ``random.Random`` seeded with ``(seed, county
index)``, so ``demo_schools(1)`` equals the first county of ``demo_schools(5)``; nothing depends on
global state.

Modules: ``names`` (invented names and places), ``school`` (a planned school and the standards),
``plan`` (a county's school mix), ``shortfalls`` (planned misses), ``figures`` (one school's
numbers), ``schools`` (the school table) and ``county`` (county-level inputs).
"""

from __future__ import annotations

from dudao.engine.demo.county import COUNTY_FIELD_KEYS, demo_county_values
from dudao.engine.demo.names import COUNTY_NAMES, county_name
from dudao.engine.demo.schools import COLUMNS, demo_schools

__all__ = [
    "COLUMNS",
    "COUNTY_FIELD_KEYS",
    "COUNTY_NAMES",
    "county_name",
    "demo_county_values",
    "demo_schools",
]
