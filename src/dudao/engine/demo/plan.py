"""A county's school mix: how many schools of each type, where, and how big."""

from __future__ import annotations

import random

from dudao.engine.demo.names import _PRIVATE_STEMS, _ordinal, _Places
from dudao.engine.demo.school import (
    _POINT,
    _PRIVATE,
    _PUBLIC,
    _RURAL,
    _SPECIAL,
    _TOWN,
    _URBAN,
    _School,
)
from dudao.engine.demo.shortfalls import _assign_shortfalls
from dudao.engine.schooltypes import SCHOOL_TYPES

_SMALL_COUNTY = (
    "小学",
    "初中",
    "九年一贯制学校",
    "教学点",
    "小学",
    "完全中学",
    "教学点",
    "初中",
    "小学",
    "特殊教育学校",
    "小学",
)


def _type_counts(rng: random.Random, n: int) -> dict[str, int]:
    counts = dict.fromkeys(SCHOOL_TYPES, 0)
    if n < len(_SMALL_COUNTY) + 1:
        for school_type in _SMALL_COUNTY[:n]:
            counts[school_type] += 1
        return counts
    counts["特殊教育学校"] = 1
    counts["完全中学"] = 1 + n // 80
    counts["九年一贯制学校"] = rng.randint(1, 2) + n // 60
    counts["十二年一贯制学校"] = (1 if rng.random() < 0.3 else 0) + n // 150
    counts["教学点"] = rng.randint(2, 4) + n // 60
    counts["初中"] = round(n * 0.22)
    counts["小学"] = n - sum(counts.values())
    return counts


def _plan_primary(rng: random.Random, places: _Places, n: int, points: int) -> list[_School]:
    """About a fifth in the seat (the first over 2000 pupils), one central school per
    township, the rest village schools; then the 教学点 (one under 50, one of 50–100 pupils)."""
    towns, seat = places.towns, places.seat
    n_urban = max(1, round(n * 0.2)) if n else 0
    n_central = min(len(towns), n - n_urban)
    schools = []
    for i in range(n_urban):
        size = rng.randint(2050, 2600) if i == 0 else rng.randint(1500, 2400)
        name = (
            f"{places.prefix}{_ordinal(i + 1)}小学" if i < 6 else f"{places.prefix}实验小学{i - 5}"
        )
        schools.append(_School("小学", name, seat, _URBAN, (size, 0, 0)))
    for town in towns[:n_central]:
        size = rng.randint(450, 1300)
        schools.append(_School("小学", f"{town}中心小学", town, _TOWN, (size, 0, 0)))
    for i in range(n - n_urban - n_central):
        town = towns[i % len(towns)]
        size = 60 + int(360 * rng.random() ** 2)
        name = f"{town}{places.villages[i]}小学"
        schools.append(_School("小学", name, town, _RURAL, (size, 0, 0)))
    for i in range(points):
        town = towns[(i * 3 + 1) % len(towns)]
        if i == 0:
            size = rng.randint(18, 47)
        elif i == 1:
            size = rng.randint(55, 95)
        else:
            size = rng.randint(20, 140)
        name = f"{places.villages[n + i]}村教学点"
        schools.append(_School(_POINT, name, town, _RURAL, (size, 0, 0)))
    return schools


def _plan_junior(rng: random.Random, places: _Places, n: int) -> list[_School]:
    """One or two big junior schools in the seat, the rest one per township."""
    towns = places.towns
    n_urban = min(n, 1 + n // 8)
    schools = []
    for i in range(n_urban):
        name = f"{places.prefix}{_ordinal(i + 1)}初级中学"
        size = (0, rng.randint(1500, 2400), 0)
        schools.append(_School("初中", name, places.seat, _URBAN, size))
    for i in range(n - n_urban):
        town, rank = towns[i % len(towns)], i // len(towns)
        name = f"{town}初级中学" if rank == 0 else f"{town}{_ordinal(rank + 1)}初级中学"
        schools.append(_School("初中", name, town, _TOWN, (0, rng.randint(300, 1300), 0)))
    return schools


def _plan_other(rng: random.Random, places: _Places, counts: dict[str, int]) -> list[_School]:
    """九年一贯制 in townships; 完全中学, 十二年一贯制 (often 民办) and 特殊教育学校 in the seat."""
    towns, seat, county = places.towns, places.seat, places.county
    schools = []
    for i in range(counts["九年一贯制学校"]):
        town = towns[-1 - (i % len(towns))]
        area = _TOWN if rng.random() < 0.5 else _RURAL
        name = f"{town}九年一贯制学校" if i < len(towns) else f"{town}第{i + 1}九年一贯制学校"
        size = (rng.randint(200, 800), rng.randint(150, 600), 0)
        schools.append(_School("九年一贯制学校", name, town, area, size))
    for i in range(counts["完全中学"]):
        size = (0, rng.randint(1200, 2000), rng.randint(900, 2000))
        schools.append(_School("完全中学", f"{county}{_ordinal(i + 2)}中学", seat, _URBAN, size))
    for i in range(counts["十二年一贯制学校"]):
        private = rng.random() < 0.6
        stem = _PRIVATE_STEMS[(i + rng.randint(0, 7)) % len(_PRIVATE_STEMS)]
        name = f"{stem}外国语学校" if private else f"{county}实验学校{'' if i == 0 else i + 1}"
        size = (rng.randint(500, 1000), rng.randint(400, 800), rng.randint(200, 600))
        owner = _PRIVATE if private else _PUBLIC
        schools.append(_School("十二年一贯制学校", name, seat, _URBAN, size, ownership=owner))
    for i in range(counts["特殊教育学校"]):
        name = f"{county}特殊教育学校" if i == 0 else f"{county}第{i + 1}特殊教育学校"
        size = (rng.randint(30, 110), rng.randint(15, 70), 0)
        schools.append(_School(_SPECIAL, name, seat, _URBAN, size))
    return schools


def _plan_county(
    rng: random.Random, county: str, n: int, hotspot: bool, *, showcase: bool = False
) -> list[_School]:
    if n == 0:
        return []
    counts = _type_counts(rng, n)
    places = _Places(rng, county, n, counts["小学"] + counts["教学点"])
    schools = _plan_primary(rng, places, counts["小学"], counts["教学点"])
    schools += _plan_junior(rng, places, counts["初中"])
    schools += _plan_other(rng, places, counts)
    # About half the counties have one private (民办) primary or junior school in the seat.
    if n > len(_SMALL_COUNTY) and (showcase or rng.random() < 0.5):
        candidates = [s for s in schools if s.area == _URBAN and s.type in ("小学", "初中")][1:]
        if candidates:
            school = rng.choice(candidates)
            school.ownership = _PRIVATE
            stem = rng.choice(_PRIVATE_STEMS)
            school.name = f"{stem}实验小学" if school.type == "小学" else f"{stem}初级中学"
            sp, sj, _ = school.students
            school.students = (int(sp * 0.6), int(sj * 0.6), 0)
    _assign_shortfalls(rng, schools, hotspot)
    return schools
