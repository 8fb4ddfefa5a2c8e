"""One planned school, and the indicators (yzjh-2017 §1.2) its plan refers to."""

from __future__ import annotations

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

_URBAN, _TOWN, _RURAL = "城区", "镇区", "乡村"
_POINT, _SPECIAL = "教学点", "特殊教育学校"
_PUBLIC, _PRIVATE = "公办", "民办"


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
