"""One school's figures, drawn around the standards according to its plan."""

from __future__ import annotations

import math
from collections.abc import Callable

from dudao.engine.demo.school import (
    _POINT,
    _RURAL,
    _SPECIAL,
    _STANDARD,
    _STANDARD_J,
    _STANDARD_P,
    _TOWN,
    _URBAN,
    _School,
)

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
