"""Framework specifications: typed dataclasses and a validating TOML loader.

A framework (指标体系) is data: the fields it needs, its indicators with formulas and
per-level standards, the per-unit rule, the balance (CV) rule, county items, vetoes and,
for scored frameworks, test points with deductions, bonuses and grade rules.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from dudao.engine.formula import Formula, FormulaError, parse

LEVELS = ("primary", "junior", "senior", "preschool")
LEVEL_LABELS = {"primary": "小学", "junior": "初中", "senior": "高中", "preschool": "学前"}
FIELD_SCOPES = ("school", "level", "info")
ITEM_OPS = (">=", "<=", ">", "<", "==", "true", "false")
STATUSES = ("CONFIRMED", "UNCONFIRMED", "TEMPLATE")


class FrameworkError(ValueError):
    """A framework file is invalid; names the file, the key and the reason."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        super().__init__(f"指标体系文件 {source}：{key}：{reason}")


@dataclass(frozen=True)
class FieldSpec:
    """One input field of the collection catalogue (one column, or one per level)."""

    key: str
    label: str
    unit: str = ""
    scope: str = "school"
    group: str = ""
    help: str = ""
    levels: tuple[str, ...] = ()
    integer: bool = False
    required: bool = True
    wan_convertible: bool = False
    choices: tuple[str, ...] = ()

    def columns(self) -> list[tuple[str, str, str | None]]:
        """(column key, Chinese header label, level) for every column this field yields."""
        if self.scope != "level":
            return [(self.key, self.label, None)]
        return [
            (f"{self.key}_{lv}", f"{self.label}（{LEVEL_LABELS[lv]}）", lv) for lv in self.levels
        ]


@dataclass(frozen=True)
class Gap:
    """How to express a shortfall of an indicator as a missing resource."""

    resource: str
    unit: str
    per: float = 1.0
    price: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    formula: Formula
    standard: dict[str, float]
    gap: Gap | None = None
    status: str = "CONFIRMED"


@dataclass(frozen=True)
class UnitRule:
    """Per-unit pass rule: at least `min_met` met, every unmet one at least `floor` × standard."""

    min_met: int
    floor: float


@dataclass(frozen=True)
class Balance:
    mode: str  # "each": every indicator's CV within the limit; "composite": mean of CVs
    limit: dict[str, float]


@dataclass(frozen=True)
class UnitOptions:
    exclude_types: tuple[str, ...] = ()
    teaching_point_min_students: float = 0.0
    include_private: bool = True
    split: dict[str, dict[str, float]] = field(default_factory=dict)
    status: str = "UNCONFIRMED"


@dataclass(frozen=True)
class Price:
    key: str
    label: str
    unit: str
    value: float
    status: str = "UNCONFIRMED"


@dataclass(frozen=True)
class CountyField:
    key: str
    label: str
    unit: str = ""
    kind: str = "number"  # number | bool
    help: str = ""


@dataclass(frozen=True)
class Item:
    """A county item (县级指标): a test on county inputs, or on every school (scope=school)."""

    key: str
    label: str
    group: str
    formula: Formula
    op: str
    threshold: float | None
    scope: str = "county"
    status: str = "CONFIRMED"
    note: str = ""


@dataclass(frozen=True)
class Veto:
    key: str
    label: str
    field: str
    status: str = "CONFIRMED"


@dataclass(frozen=True)
class Deduction:
    key: str
    reason: str
    formula: Formula
    per: float
    cap: float | None = None


@dataclass(frozen=True)
class TestPoint:
    key: str
    label: str
    group: str
    points: float
    deductions: tuple[Deduction, ...]


@dataclass(frozen=True)
class GradeRule:
    label: str
    when: Formula
    grade: str


@dataclass(frozen=True)
class Scoring:
    bands: tuple[tuple[str, float], ...]  # (grade, minimum score), best first
    point_grades: tuple[tuple[str, float], ...]  # (A/B/C, minimum share of the points)
    points: tuple[TestPoint, ...]
    bonus: tuple[Deduction, ...]
    bonus_cap: float
    rules: tuple[GradeRule, ...]


@dataclass(frozen=True)
class Framework:
    code: str
    title: str
    basis: str
    version: str
    status: str
    notes: str
    levels: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    indicators: tuple[Indicator, ...]
    unit_rule: UnitRule | None
    balance: Balance | None
    units: UnitOptions
    prices: tuple[Price, ...]
    county_fields: tuple[CountyField, ...]
    items: tuple[Item, ...]
    vetoes: tuple[Veto, ...]
    scoring: Scoring | None
    digest: str

    def field_columns(self) -> list[tuple[FieldSpec, str, str, str | None]]:
        """Every school-table column: (field, column key, header label, level)."""
        return [(f, key, label, lv) for f in self.fields for key, label, lv in f.columns()]

    def price(self, key: str) -> Price | None:
        return next((p for p in self.prices if p.key == key), None)

    def county_field(self, key: str) -> CountyField | None:
        return next((c for c in self.county_fields if c.key == key), None)

    def unconfirmed(self) -> list[str]:
        """Chinese labels of every value marked UNCONFIRMED (shown to users as 待确认)."""
        out = ["参评范围与一贯制学校拆分权重"] if self.units.status == "UNCONFIRMED" else []
        tagged: list[tuple[str, str]] = [(i.label, i.status) for i in self.indicators]
        tagged += [(i.label, i.status) for i in self.items]
        tagged += [(f"一票否决：{v.label}", v.status) for v in self.vetoes]
        tagged += [(f"单价：{p.label}", p.status) for p in self.prices]
        return out + [label for label, status in tagged if status == "UNCONFIRMED"]


# ---------------------------------------------------------------- loading


def framework_dir() -> Path:
    return Path(str(resources.files("dudao.engine") / "frameworks"))


def available_frameworks() -> list[str]:
    return sorted(p.stem for p in framework_dir().glob("*.toml"))


def load_framework(name: str | Path) -> Framework:
    """Load a framework by code (shipped file) or by path to a TOML file."""
    path = Path(name)
    if path.suffix != ".toml":
        path = framework_dir() / f"{name}.toml"
        if not path.exists():
            known = "、".join(available_frameworks())
            raise FrameworkError(str(name), "code", f"没有这个指标体系；可用的有：{known}")
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FrameworkError(path.name, "(文件)", f"不是有效的 TOML：{exc}") from exc
    return _Loader(path.name, data).framework(hashlib.sha256(raw).hexdigest())


class _Loader:
    """Reads one parsed TOML document, failing with the key path of the first problem."""

    def __init__(self, source: str, data: dict[str, Any]) -> None:
        self.source = source
        self.data = data

    def fail(self, key: str, reason: str) -> FrameworkError:
        return FrameworkError(self.source, key, reason)

    # -- typed getters
    def get(
        self, table: dict[str, Any], key: str, path: str, kind: type, default: Any = ...
    ) -> Any:
        if key not in table:
            if default is ...:
                raise self.fail(f"{path}.{key}".lstrip("."), "缺少必填项")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(f"{path}.{key}".lstrip("."), f"应为 {_KIND_NAMES[kind]}")
        return value

    def formula(self, text: str, path: str, known: set[str]) -> Formula:
        try:
            f = parse(text)
        except FormulaError as exc:
            raise self.fail(path, f"公式错误：{exc}") from exc
        unknown = sorted(f.names - known)
        if unknown:
            raise self.fail(path, f"公式引用了未定义的字段：{'、'.join(unknown)}")
        return f

    def status(self, table: dict[str, Any], path: str) -> str:
        value: str = self.get(table, "status", path, str, "CONFIRMED")
        if value not in STATUSES:
            raise self.fail(f"{path}.status", f"应为 {'/'.join(STATUSES)} 之一")
        return value

    def tables(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            raise self.fail(key, "应为表数组（[[...]]）")
        return [(_table_path(key, i, t), t) for i, t in enumerate(value)]

    def levels_map(self, table: dict[str, Any], key: str, path: str) -> dict[str, float]:
        raw = self.get(table, key, path, dict)
        out: dict[str, float] = {}
        for lv in self.levels:
            if lv not in raw:
                raise self.fail(f"{path}.{key}", f"缺少学段 {lv}（{LEVEL_LABELS[lv]}）")
            out[lv] = self.get(raw, lv, f"{path}.{key}", float)
        return out

    # -- sections
    def framework(self, digest: str) -> Framework:
        d = self.data
        self.levels = tuple(self.get(d, "levels", "", list, []))
        for lv in self.levels:
            if lv not in LEVELS:
                raise self.fail("levels", f"未知学段 {lv!r}；可用：{'、'.join(LEVELS)}")
        fields = self.fields()
        county_fields = self.county_fields()
        unit_names = self.unit_names(fields)
        county_names = {c.key for c in county_fields}
        indicators = self.indicators(unit_names)
        return Framework(
            code=self.get(d, "code", "", str),
            title=self.get(d, "title", "", str),
            basis=self.get(d, "basis", "", str, ""),
            version=self.get(d, "version", "", str),
            status=self.status(d, ""),
            notes=self.get(d, "notes", "", str, ""),
            levels=self.levels,
            fields=fields,
            indicators=indicators,
            unit_rule=self.unit_rule(len(indicators)),
            balance=self.balance(),
            units=self.unit_options(),
            prices=self.prices(),
            county_fields=county_fields,
            items=self.items(county_names, self.school_names(fields)),
            vetoes=self.vetoes(county_fields),
            scoring=self.scoring(county_names),
            digest=digest,
        )

    def fields(self) -> tuple[FieldSpec, ...]:
        out: list[FieldSpec] = []
        for path, t in self.tables("fields"):
            scope = self.get(t, "scope", path, str, "school")
            if scope not in FIELD_SCOPES:
                raise self.fail(f"{path}.scope", f"应为 {'/'.join(FIELD_SCOPES)} 之一")
            levels = tuple(self.get(t, "levels", path, list, list(self.levels)))
            if any(lv not in LEVELS for lv in levels):
                raise self.fail(f"{path}.levels", "含未知学段")
            out.append(
                FieldSpec(
                    key=self.get(t, "key", path, str),
                    label=self.get(t, "label", path, str),
                    unit=self.get(t, "unit", path, str, ""),
                    scope=scope,
                    group=self.get(t, "group", path, str, ""),
                    help=self.get(t, "help", path, str, ""),
                    levels=levels if scope == "level" else (),
                    integer=self.get(t, "integer", path, bool, False),
                    required=self.get(t, "required", path, bool, True),
                    wan_convertible=self.get(t, "wan_convertible", path, bool, False),
                    choices=tuple(self.get(t, "choices", path, list, [])),
                )
            )
        self.unique([f.key for f in out], "fields")
        return tuple(out)

    def unique(self, keys: list[str], where: str) -> None:
        seen: set[str] = set()
        for i, k in enumerate(keys):
            if k in seen:
                raise self.fail(f"{where}[{i}].key", f"键 {k!r} 重复")
            seen.add(k)

    @staticmethod
    def unit_names(fields: tuple[FieldSpec, ...]) -> set[str]:
        """Names a unit-level formula may use: every field by its base key, plus derived flags."""
        return {f.key for f in fields if f.scope != "info"} | UNIT_DERIVED

    @staticmethod
    def school_names(fields: tuple[FieldSpec, ...]) -> set[str]:
        names = {key for f in fields if f.scope != "info" for key, _, _ in f.columns()}
        return names | SCHOOL_DERIVED

    def indicators(self, known: set[str]) -> tuple[Indicator, ...]:
        out: list[Indicator] = []
        for path, t in self.tables("indicators"):
            gap = None
            if "gap" in t:
                g = self.get(t, "gap", path, dict)
                gp = f"{path}.gap"
                gap = Gap(
                    resource=self.get(g, "resource", gp, str),
                    unit=self.get(g, "unit", gp, str),
                    per=self.get(g, "per", gp, float, 1.0),
                    price=self.get(g, "price", gp, str, ""),
                )
            out.append(
                Indicator(
                    key=self.get(t, "key", path, str),
                    label=self.get(t, "label", path, str),
                    unit=self.get(t, "unit", path, str, ""),
                    formula=self.formula(
                        self.get(t, "formula", path, str), f"{path}.formula", known
                    ),
                    standard=self.levels_map(t, "standard", path) if "standard" in t else {},
                    gap=gap,
                    status=self.status(t, path),
                )
            )
        self.unique([i.key for i in out], "indicators")
        return tuple(out)

    def unit_rule(self, n_indicators: int) -> UnitRule | None:
        if "unit_rule" not in self.data:
            return None
        t = self.get(self.data, "unit_rule", "", dict)
        rule = UnitRule(
            min_met=self.get(t, "min_met", "unit_rule", int),
            floor=self.get(t, "floor", "unit_rule", float),
        )
        if not 0 < rule.min_met <= n_indicators:
            raise self.fail("unit_rule.min_met", f"应在 1 到 {n_indicators} 之间")
        if not 0 <= rule.floor <= 1:
            raise self.fail("unit_rule.floor", "应在 0 到 1 之间")
        return rule

    def balance(self) -> Balance | None:
        if "balance" not in self.data:
            return None
        t = self.get(self.data, "balance", "", dict)
        mode = self.get(t, "mode", "balance", str)
        if mode not in ("each", "composite"):
            raise self.fail("balance.mode", "应为 each（逐项）或 composite（综合）")
        return Balance(mode=mode, limit=self.levels_map(t, "limit", "balance"))

    def unit_options(self) -> UnitOptions:
        t = self.get(self.data, "units", "", dict, {})
        split_raw = self.get(t, "split", "units", dict, {})
        split: dict[str, dict[str, float]] = {}
        for kind, weights in split_raw.items():
            if kind not in SPLIT_KINDS:
                raise self.fail(f"units.split.{kind}", f"应为 {'/'.join(SPLIT_KINDS)} 之一")
            if not isinstance(weights, dict):
                raise self.fail(f"units.split.{kind}", "应为学段到权重的表")
            split[kind] = {
                lv: self.get(weights, lv, f"units.split.{kind}", float) for lv in weights
            }
        return UnitOptions(
            exclude_types=tuple(self.get(t, "exclude_types", "units", list, [])),
            teaching_point_min_students=self.get(
                t, "teaching_point_min_students", "units", float, 0.0
            ),
            include_private=self.get(t, "include_private", "units", bool, True),
            split=split,
            status=self.status(t, "units"),
        )

    def prices(self) -> tuple[Price, ...]:
        t = self.get(self.data, "prices", "", dict, {})
        out = []
        for key, p in t.items():
            path = f"prices.{key}"
            if not isinstance(p, dict):
                raise self.fail(path, "应为表（label、unit、value）")
            out.append(
                Price(
                    key=key,
                    label=self.get(p, "label", path, str),
                    unit=self.get(p, "unit", path, str),
                    value=self.get(p, "value", path, float),
                    status=self.status(p, path),
                )
            )
        return tuple(out)

    def county_fields(self) -> tuple[CountyField, ...]:
        out = []
        for path, t in self.tables("county_fields"):
            kind = self.get(t, "kind", path, str, "number")
            if kind not in ("number", "bool"):
                raise self.fail(f"{path}.kind", "应为 number 或 bool")
            out.append(
                CountyField(
                    key=self.get(t, "key", path, str),
                    label=self.get(t, "label", path, str),
                    unit=self.get(t, "unit", path, str, ""),
                    kind=kind,
                    help=self.get(t, "help", path, str, ""),
                )
            )
        self.unique([c.key for c in out], "county_fields")
        return tuple(out)

    def items(self, county_names: set[str], school_names: set[str]) -> tuple[Item, ...]:
        out = []
        for path, t in self.tables("items"):
            scope = self.get(t, "scope", path, str, "county")
            if scope not in ("county", "school"):
                raise self.fail(f"{path}.scope", "应为 county 或 school")
            op = self.get(t, "op", path, str)
            if op not in ITEM_OPS:
                raise self.fail(f"{path}.op", f"应为 {' '.join(ITEM_OPS)} 之一")
            threshold = self.get(t, "threshold", path, float, None)
            if (threshold is None) != (op in ("true", "false")):
                raise self.fail(f"{path}.threshold", "比较运算需要 threshold；true/false 不需要")
            known = county_names if scope == "county" else school_names
            out.append(
                Item(
                    key=self.get(t, "key", path, str),
                    label=self.get(t, "label", path, str),
                    group=self.get(t, "group", path, str, ""),
                    formula=self.formula(
                        self.get(t, "formula", path, str), f"{path}.formula", known
                    ),
                    op=op,
                    threshold=threshold,
                    scope=scope,
                    status=self.status(t, path),
                    note=self.get(t, "note", path, str, ""),
                )
            )
        self.unique([i.key for i in out], "items")
        return tuple(out)

    def vetoes(self, county_fields: tuple[CountyField, ...]) -> tuple[Veto, ...]:
        bools = {c.key for c in county_fields if c.kind == "bool"}
        out = []
        for path, t in self.tables("vetoes"):
            fkey = self.get(t, "field", path, str)
            if fkey not in bools:
                raise self.fail(f"{path}.field", f"{fkey!r} 不是 county_fields 中的是/否字段")
            out.append(
                Veto(
                    key=self.get(t, "key", path, str),
                    label=self.get(t, "label", path, str),
                    field=fkey,
                    status=self.status(t, path),
                )
            )
        self.unique([v.key for v in out], "vetoes")
        return tuple(out)

    def scoring(self, county_names: set[str]) -> Scoring | None:
        if "scoring" not in self.data:
            return None
        t = self.get(self.data, "scoring", "", dict)
        bands = self.ranked(t, "bands", "min")
        point_grades = self.ranked(t, "point_grades", "min_share")
        grades = {g for g, _ in bands}
        points = tuple(self.test_point(p, t2, county_names) for p, t2 in self.tables("points"))
        self.unique([p.key for p in points], "points")
        rule_names = county_names | {"score"} | {f"count_{g.lower()}" for g, _ in point_grades}
        rules = []
        for path, r in self.tables("grade_rules"):
            grade = self.get(r, "grade", path, str)
            if grade not in grades:
                raise self.fail(f"{path}.grade", f"等级 {grade!r} 不在 scoring.bands 中")
            rules.append(
                GradeRule(
                    label=self.get(r, "label", path, str),
                    when=self.formula(self.get(r, "when", path, str), f"{path}.when", rule_names),
                    grade=grade,
                )
            )
        return Scoring(
            bands=bands,
            point_grades=point_grades,
            points=points,
            bonus=tuple(self.deduction(p, b, county_names) for p, b in self.tables("bonus")),
            bonus_cap=self.get(t, "bonus_cap", "scoring", float, 0.0),
            rules=tuple(rules),
        )

    def ranked(self, t: dict[str, Any], key: str, min_key: str) -> tuple[tuple[str, float], ...]:
        rows = self.get(t, key, "scoring", list)
        out = []
        for i, r in enumerate(rows):
            path = f"scoring.{key}[{i}]"
            if not isinstance(r, dict):
                raise self.fail(path, "应为表（grade、" + min_key + "）")
            out.append((self.get(r, "grade", path, str), self.get(r, min_key, path, float)))
        if not out or [m for _, m in out] != sorted((m for _, m in out), reverse=True):
            raise self.fail(f"scoring.{key}", f"应按 {min_key} 从高到低排列且不为空")
        return tuple(out)

    def test_point(self, path: str, t: dict[str, Any], known: set[str]) -> TestPoint:
        deds = t.get("deductions", [])
        if not isinstance(deds, list):
            raise self.fail(f"{path}.deductions", "应为表数组")
        return TestPoint(
            key=self.get(t, "key", path, str),
            label=self.get(t, "label", path, str),
            group=self.get(t, "group", path, str, ""),
            points=self.get(t, "points", path, float),
            deductions=tuple(
                self.deduction(f"{path}.deductions[{i}]", d, known) for i, d in enumerate(deds)
            ),
        )

    def deduction(self, path: str, t: dict[str, Any], known: set[str]) -> Deduction:
        return Deduction(
            key=self.get(t, "key", path, str),
            reason=self.get(t, "reason", path, str),
            formula=self.formula(self.get(t, "formula", path, str), f"{path}.formula", known),
            per=self.get(t, "per", path, float),
            cap=self.get(t, "cap", path, float, None),
        )


def _table_path(key: str, index: int, table: dict[str, Any]) -> str:
    """`indicators[3]`, or `indicators[3]（key = "sports_area_per_student"）` when it has a key."""
    name = table.get("key")
    return f"{key}[{index}]" + (f'（key = "{name}"）' if isinstance(name, str) else "")


SPLIT_KINDS = ("nine_year", "complete_middle", "twelve_year")
# Names the unit builder adds to every unit row and every school row.
UNIT_DERIVED = {"students", "is_integrated", "is_private", "is_teaching_point"}
SCHOOL_DERIVED = {"is_integrated", "is_private", "is_teaching_point", "compulsory_students"}
_KIND_NAMES: dict[type, str] = {
    str: "文本",
    float: "数字",
    int: "整数",
    bool: "true/false",
    list: "数组",
    dict: "表",
}
