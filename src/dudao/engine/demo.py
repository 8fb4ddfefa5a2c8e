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
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import polars as pl

from dudao.engine.schooltypes import SCHOOL_TYPES

__all__ = [
    "COLUMNS",
    "COUNTY_FIELD_KEYS",
    "COUNTY_NAMES",
    "county_name",
    "demo_county_values",
    "demo_schools",
]

# ------------------------------------------------------------------ names (all invented)

COUNTY_NAMES: tuple[str, ...] = (
    "青川县",
    "河西区",
    "白水县",
    "云溪县",
    "龙泉县",
    "江北区",
    "松阳县",
    "桃源县",
    "清河县",
    "石门县",
    "东湖区",
    "长宁县",
    "柳江县",
    "安平县",
    "永和县",
    "南屏县",
    "凤鸣县",
    "金川区",
    "丰乐县",
    "平川县",
    "梅溪县",
    "临水县",
    "新安县",
    "宁远县",
    "西岭区",
    "兴隆县",
    "双溪县",
    "碧江县",
    "玉屏县",
    "秀山县",
)

_TOWN_STEMS: tuple[str, ...] = (
    "石桥",
    "青龙",
    "白沙",
    "马场",
    "黄泥",
    "龙泉",
    "新店",
    "桃源",
    "柳林",
    "双河",
    "高坪",
    "杨柳",
    "清水",
    "长岭",
    "金山",
    "土门",
    "太平",
    "永安",
    "大坝",
    "三合",
    "红岩",
    "河口",
    "洪山",
    "松林",
    "花桥",
    "古城",
    "狮子",
    "凉水",
    "板桥",
    "竹园",
    "沙坪",
    "岩口",
    "麻柳",
    "茶园",
    "回龙",
    "观音",
    "枫香",
    "平坝",
    "龙井",
    "新场",
    "水口",
    "官庄",
    "柏杨",
    "大兴",
    "石龙",
    "白果",
    "双龙",
    "高桥",
    "黄土",
    "兴隆",
    "梨园",
    "新民",
    "万福",
    "安乐",
    "桂花",
    "长滩",
    "雷公",
    "金鸡",
    "龙潭",
    "铜锣",
)
_SURNAMES: tuple[str, ...] = (
    "李",
    "王",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "罗",
    "高",
    "林",
    "郑",
    "梁",
    "谢",
    "唐",
    "韩",
    "冯",
    "曹",
    "彭",
    "曾",
    "肖",
)
_VILLAGE_SUFFIXES: tuple[str, ...] = ("家湾", "家坪", "家沟", "家庄", "家坝", "家岭")
_URBAN_SEATS_DISTRICT: tuple[str, ...] = ("东城街道", "西城街道", "南门街道", "新华街道")
_VILLAGES: tuple[str, ...] = tuple(s + v for s in _SURNAMES for v in _VILLAGE_SUFFIXES)
_PRIVATE_STEMS: tuple[str, ...] = ("明德", "育英", "启明", "博文", "新星", "阳光", "育才", "博雅")
_ORDINALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")

# ------------------------------------------------------------------ columns

_INFO_COLUMNS = (
    "school_code",
    "school_name",
    "county",
    "school_type",
    "ownership",
    "township",
    "area_type",
)
_LEVEL_FIELDS = (
    "classes",
    "max_class_size",
    "teachers",
    "teachers_above_degree",
    "backbone_teachers",
    "pe_art_teachers",
    "senior_title_teachers",
)
_SCHOOL_FIELDS = (
    "teaching_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
    "computers",
    "books",
    "music_rooms",
    "min_music_room_area",
    "art_rooms",
    "min_art_room_area",
)
COLUMNS: tuple[str, ...] = (
    *_INFO_COLUMNS,
    "students_primary",
    "students_junior",
    "students_senior",
    *(f"{key}_{level}" for key in _LEVEL_FIELDS for level in ("primary", "junior")),
    *_SCHOOL_FIELDS,
)
_SCHEMA: dict[str, pl.DataType] = {
    name: (pl.Utf8() if name in _INFO_COLUMNS else pl.Float64()) for name in COLUMNS
}

# ------------------------------------------------------------------ standards (yzjh-2017 §1.2)

# Indicator order: 0 teachers above degree, 1 backbone, 2 PE/art (per 100 students, counted per
# section); 3 teaching area, 4 sports area, 5 equipment value (per student, whole school);
# 6 multimedia rooms (per 100 students, whole school, a count).
_STANDARD: dict[str, tuple[float, ...]] = {
    "primary": (4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3),
    "junior": (5.3, 1.0, 0.9, 5.8, 10.2, 2500.0, 2.4),
}
_STANDARD_P = _STANDARD["primary"]
_STANDARD_J = _STANDARD["junior"]
_CONTINUOUS = (3, 4, 5)
_ALL_INDICATORS = (0, 1, 2, 3, 4, 5, 6)

# Weighted-enrolment split of whole-school resources (§1.6), by school type.
_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "九年一贯制学校": (1.0, 1.1, 0.0),
    "十二年一贯制学校": (1.0, 1.1, 1.32),
    "完全中学": (0.0, 1.0, 1.2),
}

# Range of (value / standard) drawn for indicators a school meets, by area type: small rural
# schools have buildings and staff for more pupils than they now have.
_OK_RANGE: dict[str, tuple[float, float]] = {
    "城区": (1.02, 1.4),
    "镇区": (1.04, 1.7),
    "乡村": (1.08, 2.3),
}

_URBAN, _TOWN, _RURAL = "城区", "镇区", "乡村"
_POINT, _SPECIAL = "教学点", "特殊教育学校"
_PUBLIC, _PRIVATE = "公办", "民办"

# Per (level, kind) where kind is the area type, or 教学点 / 特殊教育学校: (average class size
# low end, its spread, pupils per teacher low end, its spread, min teachers, max classes)
_LEVEL_SHAPE: dict[tuple[str, str], tuple[float, float, float, float, int, int]] = {
    ("primary", _URBAN): (44.0, 9.0, 16.0, 3.5, 1, 999),
    ("primary", _TOWN): (36.0, 9.0, 13.0, 3.5, 1, 999),
    ("primary", _RURAL): (18.0, 9.0, 9.0, 3.5, 1, 999),
    ("primary", _POINT): (12.0, 16.0, 10.0, 5.0, 2, 3),
    ("primary", _SPECIAL): (8.0, 4.0, 3.0, 1.5, 1, 999),
    ("junior", _URBAN): (47.0, 9.0, 11.5, 3.0, 1, 999),
    ("junior", _TOWN): (40.0, 9.0, 10.0, 3.0, 1, 999),
    ("junior", _RURAL): (30.0, 9.0, 8.0, 3.0, 1, 999),
    ("junior", _SPECIAL): (8.0, 4.0, 3.0, 1.5, 1, 999),
}
_NO_LEVEL = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


class _School:
    """One planned school before its figures are drawn."""

    __slots__ = ("area", "name", "ownership", "plan", "students", "town", "type")

    def __init__(
        self,
        school_type: str,
        name: str,
        town: str,
        area: str,
        students: tuple[int, int, int],
        *,
        ownership: str = _PUBLIC,
    ) -> None:
        self.type = school_type
        self.name = name
        self.town = town
        self.area = area
        self.students = students
        self.ownership = ownership
        # indicator index -> value/standard factor; below 1.0 means deliberately not met
        self.plan: dict[int, float] = {}


# ------------------------------------------------------------------ public API


def county_name(index: int) -> str:
    """Name of the demo county at ``index`` (0-based); numbered once the list is used up."""
    base = COUNTY_NAMES[index % len(COUNTY_NAMES)]
    rnd = index // len(COUNTY_NAMES)
    return base if rnd == 0 else f"{base}{rnd + 1}"


def demo_schools(counties: int = 1, schools_per_county: int = 40, seed: int = 2026) -> pl.DataFrame:
    """One row per school: the info columns (Utf8) and every numeric field (Float64), see COLUMNS.

    Per-level fields exist for primary and junior (students also for senior); levels a school's
    type does not serve are 0.0, and counts are whole numbers. A county of 40 schools has about 24
    小学, 2–4 教学点 (one under 50 pupils, one of 50–100), 9 初中, 1–2 九年一贯制学校, one 完全中学
    and one 特殊教育学校; sometimes a 十二年一贯制学校 and a 民办 school. School codes are
    ``"21" + county index (4 digits) + school number (4 digits)``, hence the 9999 limits.
    """
    if not 0 <= counties <= 9999 or not 0 <= schools_per_county <= 9999:
        raise ValueError("demo_schools: counties and schools_per_county must be in 0..9999")
    columns: list[list[str | float]] = [[] for _ in COLUMNS]
    for index in range(counties):
        rng = random.Random(f"dudao-demo:{seed}:{index}")
        name = county_name(index)
        # The first county shows every kind of finding: a CV over its limit, a private school.
        hotspot = index == 0 or rng.random() < 0.25
        plan = _plan_county(rng, name, schools_per_county, hotspot, showcase=index == 0)
        prefix = f"21{index:04d}"
        rows = [
            _draw_school(rng.random, f"{prefix}{number:04d}", name, school)
            for number, school in enumerate(plan, start=1)
        ]
        # Transpose county by county, so no list of all row tuples is ever held.
        # (An empty county yields no columns at all, hence strict=False.)
        for column, values in zip(columns, zip(*rows, strict=True), strict=False):
            column.extend(values)
    return pl.DataFrame(dict(zip(COLUMNS, columns, strict=True)), schema=_SCHEMA)


COUNTY_FIELD_KEYS: tuple[str, ...] = (
    "basic_balance_years",
    "layout_reasonable",
    "four_unified",
    "small_school_funding",
    "special_ed_funding_per_student",
    "teacher_pay_not_below_civil",
    "training_360_rate",
    "staffing_overall",
    "rotation_rate",
    "rotation_backbone_share",
    "certified_teacher_rate",
    "zoned_enrolment_primary",
    "zoned_enrolment_junior",
    "quota_allocation_rate",
    "left_behind_care",
    "migrant_public_rate",
    "junior_retention_rate",
    "disabled_enrolment_rate",
    "charter_and_ict",
    "training_funds_5pct",
    "ict_teaching",
    "moral_education_good",
    "curriculum_complete",
    "no_excess_burden",
    "monitoring_level_3",
    "monitoring_between_school_ratio",
    "recognition_rate",
    "veto_exam_admission",
    "veto_school_choice",
    "veto_key_schools",
    "veto_unfilled_posts",
    "veto_major_incident",
    "veto_falsification",
)

# Failing values a later county may show on one item (about one county in seven).
_COUNTY_SLIPS: tuple[tuple[str, float], ...] = (
    ("rotation_rate", 9.2),
    ("rotation_backbone_share", 17.5),
    ("zoned_enrolment_junior", 93.6),
    ("migrant_public_rate", 82.4),
    ("junior_retention_rate", 94.1),
    ("recognition_rate", 84.3),
)


def demo_county_values(
    counties: int = 1, seed: int = 2026
) -> dict[str, dict[str, float | bool | None]]:
    """County-level inputs (政府保障程度, 教育质量, 社会认可度, vetoes) for each demo county.

    Percentages are 0–100 numbers. The first county misses two items (rotation 8.5%, recognition
    83.2%); later counties mostly pass, about one in seven misses one item; no veto is set.
    """
    result: dict[str, dict[str, float | bool | None]] = {}
    for index in range(counties):
        rng = random.Random(f"dudao-demo-county:{seed}:{index}")

        def pct(lo: float, hi: float, rng: random.Random = rng) -> float:
            return round(lo + (hi - lo) * rng.random(), 1)

        values: dict[str, float | bool | None] = {
            "basic_balance_years": float(rng.randint(3, 9)),
            "layout_reasonable": True,
            "four_unified": True,
            "small_school_funding": True,
            "special_ed_funding_per_student": float(rng.choice((6000, 6500, 7000, 8000, 9000))),
            "teacher_pay_not_below_civil": True,
            "training_360_rate": 100.0,
            "staffing_overall": True,
            "rotation_rate": pct(10.5, 18.0),
            "rotation_backbone_share": pct(21.0, 36.0),
            "certified_teacher_rate": 100.0,
            "zoned_enrolment_primary": 100.0,
            "zoned_enrolment_junior": pct(95.5, 100.0),
            "quota_allocation_rate": pct(50.5, 65.0),
            "left_behind_care": True,
            "migrant_public_rate": pct(86.0, 98.5),
            "junior_retention_rate": pct(95.6, 99.6),
            "disabled_enrolment_rate": pct(95.5, 99.8),
            "charter_and_ict": True,
            "training_funds_5pct": True,
            "ict_teaching": True,
            "moral_education_good": True,
            "curriculum_complete": True,
            "no_excess_burden": True,
            "monitoring_level_3": True,
            "monitoring_between_school_ratio": round(0.05 + 0.09 * rng.random(), 3),
            "recognition_rate": pct(86.5, 96.5),
            "veto_exam_admission": False,
            "veto_school_choice": False,
            "veto_key_schools": False,
            "veto_unfilled_posts": False,
            "veto_major_incident": False,
            "veto_falsification": False,
        }
        if index == 0:
            values["rotation_rate"] = 8.5
            values["recognition_rate"] = 83.2
        elif rng.random() < 0.15:
            key, bad = rng.choice(_COUNTY_SLIPS)
            values[key] = bad
        result[county_name(index)] = values
    return result


# ------------------------------------------------------------------ county plan


def _uniform(rng: random.Random, lo: float, hi: float) -> float:
    return lo + (hi - lo) * rng.random()


def _ordinal(n: int) -> str:
    return f"第{_ORDINALS[n - 1]}" if n <= len(_ORDINALS) else f"第{n}"


def _pick_names(rng: random.Random, pool: tuple[str, ...], count: int) -> list[str]:
    """``count`` distinct names from ``pool``; numbered copies once the pool is used up."""
    names = rng.sample(pool, min(count, len(pool)))
    for extra in range(count - len(names)):
        names.append(f"{pool[extra % len(pool)]}{extra // len(pool) + 2}")
    return names


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


class _Places:
    """A county's seat (城关镇 or a 街道), townships and villages."""

    def __init__(self, rng: random.Random, county: str, n: int, n_villages: int) -> None:
        district = county.endswith("区")
        self.county = county
        self.seat = rng.choice(_URBAN_SEATS_DISTRICT) if district else "城关镇"
        self.prefix = county[:-1] if district else "城关"
        stems = _pick_names(rng, _TOWN_STEMS, max(1, round(n / 4) - 1))
        self.towns = [stem + ("乡" if rng.random() < 0.3 else "镇") for stem in stems]
        self.villages = _pick_names(rng, _VILLAGES, n_villages)


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


# ------------------------------------------------------------------ one school's figures


def _draw_level(
    rand: Callable[[], float], students: int, level: str, kind: str, school: _School
) -> tuple[float, float, float, float, float, float, float]:
    """classes, largest class, teachers, above-degree, backbone, PE/art, senior-title teachers."""
    size_lo, size_span, ratio_lo, ratio_span, min_teachers, max_classes = _LEVEL_SHAPE[level, kind]
    std = _STANDARD[level]
    plan = school.plan
    classes = min(max_classes, max(1, round(students / (size_lo + size_span * rand()))))
    if classes == 1:
        largest = students
    else:
        largest = min(students, -(-students // classes) + int(5.0 * rand()))
    teachers = max(min_teachers, round(students / (ratio_lo + ratio_span * rand())))
    ok_lo, ok_hi = _OK_RANGE[school.area]
    ok_span = ok_hi - ok_lo
    per100 = students / 100.0
    counts = [0, 0, 0]
    for idx in (0, 1, 2):
        factor = plan.get(idx) if plan else None
        if factor is None:
            factor = ok_lo + ok_span * rand()
        need = std[idx] * per100 * factor
        # met indicators round up, unmet ones down, so rounding never crosses the standard
        counts[idx] = math.ceil(need) if factor >= 1.0 else math.floor(need)
    above, backbone, pe_art = counts
    teachers = max(teachers, math.ceil(above / 0.96), backbone, pe_art)
    senior_title = round(teachers * (0.35 + 0.4 * rand()))
    return (
        float(classes),
        float(largest),
        float(teachers),
        float(above),
        float(backbone),
        float(pe_art),
        float(senior_title),
    )


def _draw_whole(
    rand: Callable[[], float],
    school: _School,
    ok: tuple[float, float],
    classes: int,
) -> tuple[float, float, float, float]:
    """Teaching area, sports area, equipment value, multimedia rooms for the whole school, sized
    so that after the weighted split the weakest compulsory section lands on its planned factor."""
    sp, sj, ss = school.students
    wp, wj, ws = _WEIGHTS.get(school.type, (1.0, 1.0, 1.0))
    weighted = wp * sp + wj * sj + ws * ss
    need_p = weighted / wp if sp > 0 else 0.0
    need_j = weighted / wj if sj > 0 else 0.0
    plan = school.plan
    ok_lo, ok_span = ok
    out = [0.0, 0.0, 0.0, 0.0]
    for slot, idx in enumerate((3, 4, 5, 6)):
        base = max(_STANDARD_P[idx] * need_p, _STANDARD_J[idx] * need_j)
        factor = plan.get(idx) if plan else None
        if factor is None:
            factor = ok_lo + ok_span * rand()
        amount = factor * base
        if idx == 6:
            rooms = amount / 100.0
            if factor >= 1.0:  # met: round up, and every classroom is a multimedia room
                out[slot] = float(max(math.ceil(rooms), classes))
            else:
                out[slot] = float(math.floor(rooms))
        else:
            out[slot] = round(amount, 2 if idx == 5 else 1)
    return out[0], out[1], out[2], out[3]


def _draw_extras(
    rand: Callable[[], float], students: tuple[int, int, int], classes: int
) -> tuple[float, float, float, float, float, float]:
    """Computers, books, music rooms and smallest music room, art rooms and smallest art room."""
    sp, sj, ss = students
    computers = round((sp + sj + ss) * (0.12 + 0.13 * rand()))
    books = round(sp * (25.0 + 15.0 * rand()) + (sj + ss) * (35.0 + 20.0 * rand()))
    needed = -(-classes // 12)
    rooms = [0.0, 0.0, 0.0, 0.0]
    for slot, min_area in ((0, 96.0), (2, 90.0)):
        count = needed + (1 if rand() < 0.3 else 0)
        area = min_area + 34.0 * rand()
        roll = rand()
        if roll < 0.05:  # one room short
            count = max(0, needed - 1)
        elif roll < 0.10:  # an old room below the minimum area
            area = min_area - 6.0 - 20.0 * rand()
        rooms[slot] = float(count)
        rooms[slot + 1] = round(area, 1) if count else 0.0
    return float(computers), float(books), rooms[0], rooms[1], rooms[2], rooms[3]


def _draw_school(
    rand: Callable[[], float], code: str, county: str, school: _School
) -> tuple[str | float, ...]:
    sp, sj, ss = school.students
    lo, hi = _OK_RANGE[school.area]
    ok = (lo, hi - lo)
    kind = school.type if school.type in (_POINT, _SPECIAL) else school.area
    p = _draw_level(rand, sp, "primary", kind, school) if sp else _NO_LEVEL
    j = _draw_level(rand, sj, "junior", kind, school) if sj else _NO_LEVEL
    classes = int(p[0] + j[0])
    return (
        code,
        school.name,
        county,
        school.type,
        school.ownership,
        school.town,
        school.area,
        float(sp),
        float(sj),
        float(ss),
        p[0],
        j[0],
        p[1],
        j[1],
        p[2],
        j[2],
        p[3],
        j[3],
        p[4],
        j[4],
        p[5],
        j[5],
        p[6],
        j[6],
        *_draw_whole(rand, school, ok, classes),
        *_draw_extras(rand, school.students, classes),
    )
