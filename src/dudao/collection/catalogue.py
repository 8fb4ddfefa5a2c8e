"""The columns a submission holds, read from the framework's field catalogue.

A school submission holds the framework's non-info field columns of the levels the school
serves; the county's items hold the framework's county fields. Forms, validation, review and
history all read the same `Column` list, so a label or unit is written in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dudao.engine.spec import Framework, load_framework

if TYPE_CHECKING:
    from dudao.collection.models import Period
    from dudao.orgs.models import Institution

NUMBER, INTEGER, BOOL = "number", "integer", "bool"


@dataclass(frozen=True)
class Column:
    """One value of a submission: its key, Chinese label, unit, group, help and kind."""

    key: str
    label: str
    unit: str = ""
    group: str = ""
    help: str = ""
    kind: str = NUMBER  # number | integer | bool
    required: bool = False
    level: str | None = None

    @property
    def title(self) -> str:
        """The label with its unit, as forms and tables show it."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label


@lru_cache(maxsize=16)
def framework(code: str) -> Framework:
    """The framework of a period (cached: the TOML files ship with the package)."""
    return load_framework(code)


def all_school_columns(fw: Framework) -> dict[str, Column]:
    """Every non-info column of the school table, whichever levels it belongs to."""
    out: dict[str, Column] = {}
    for f, key, label, level in fw.field_columns():
        if f.scope == "info":
            continue
        kind = INTEGER if f.integer else NUMBER
        required = f.required and level is None
        out[key] = Column(key, label, f.unit, f.group, f.help, kind, required, level)
    return out


def school_columns(fw: Framework, levels: tuple[str, ...]) -> dict[str, Column]:
    """The columns a school serving `levels` fills (other levels' columns stay blank)."""
    return {k: c for k, c in all_school_columns(fw).items() if c.level is None or c.level in levels}


def county_columns(fw: Framework) -> dict[str, Column]:
    """The county-level items and veto questions of a framework."""
    vetoes = {v.field for v in fw.vetoes}
    return {
        c.key: Column(
            c.key,
            c.label,
            c.unit,
            "一票否决" if c.key in vetoes else "县级指标",
            c.help,
            BOOL if c.kind == "bool" else NUMBER,
        )
        for c in fw.county_fields
    }


def columns_for(period: Period, institution: Institution | None) -> dict[str, Column]:
    """Columns of a submission: the county's items when `institution` is None."""
    fw = framework(period.framework)
    return county_columns(fw) if institution is None else school_columns(fw, institution.levels)


def grouped(columns: dict[str, Column]) -> list[tuple[str, list[Column]]]:
    """Columns grouped by their group, in catalogue order."""
    groups: dict[str, list[Column]] = {}
    for c in columns.values():
        groups.setdefault(c.group or "其他", []).append(c)
    return list(groups.items())
