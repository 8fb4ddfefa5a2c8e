"""Random draws (双随机): N schools from the candidates, M inspectors per school, reproducibly.

The draw is a pure function of the seed and the candidate lists; the order of the rows does not
matter. Schools are ranked by ``sha256(f"{seed}|school|{code}")`` and the first N are drawn;
then, school by school in that order, the eligible inspectors (not conflicting with the school)
are ordered by the number of schools they were already given in this draw, then by
``sha256(f"{seed}|inspector|{school_code}|{inspector_code}")``, and the first M are picked — the
least loaded first, so that no inspector is sent everywhere (without conflicts nobody gets more
than ``ceil(N*M / pool size)`` schools).
``docs/random-draw.md`` is the precise description; ``ALGORITHM_VERSION`` changes whenever the
result of a draw could change.

Commit–reveal: the platform publishes ``seed_digest(seed)`` before the draw and the seed after it,
with the three candidate CSV files (written by ``schools_csv`` and friends) so that anyone can
re-run the draw with ``dudao draw``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dudao.engine.tables.errors import InputError, InputErrors

ALGORITHM_VERSION = "dudao-draw-1"
OWN_SCHOOL = "所在学校"  # reason in `excluded`: the inspector works at the school
DECLARED = "申报回避"  # reason in `excluded`: a declared conflict pair
_LISTED = 5  # schools named in the "too few inspectors" message


@dataclass(frozen=True)
class SchoolCandidate:
    """A school that may be drawn; `code` is the school's identifier (学校标识码)."""

    code: str
    name: str


@dataclass(frozen=True)
class InspectorCandidate:
    """An inspector (督学) of the pool; `institution_code` is the inspector's own school, if any."""

    code: str
    name: str
    institution_code: str = ""


@dataclass(frozen=True)
class DrawPick:
    """One drawn school with the inspectors sent there, in the order they were picked."""

    school: SchoolCandidate
    inspectors: tuple[InspectorCandidate, ...]


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw: picks in draw order and the conflict pairs that were applied."""

    seed: str
    seed_digest: str
    picks: tuple[DrawPick, ...]
    excluded: tuple[tuple[str, str, str], ...]  # (inspector_code, school_code, reason)


class DrawError(ValueError):
    """The draw cannot be made with these arguments (Chinese message)."""


def seed_digest(seed: str) -> str:
    """SHA-256 (hex) of the seed's UTF-8 bytes — published before the seed itself."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def school_key(seed: str, school_code: str) -> str:
    """The ranking key of a school: lower keys are drawn first."""
    return _key(f"{seed}|school|{school_code}")


def inspector_key(seed: str, school_code: str, inspector_code: str) -> str:
    """The ranking key of an inspector for one school: lower keys are picked first."""
    return _key(f"{seed}|inspector|{school_code}|{inspector_code}")


# ---------------------------------------------------------------- the draw


def draw(  # noqa: PLR0917 -- the published API takes the arguments positionally
    seed: str,
    schools: Sequence[SchoolCandidate],
    inspectors: Sequence[InspectorCandidate],
    count: int,
    per_school: int,
    conflicts: Collection[tuple[str, str]] = (),
) -> DrawResult:
    """Draw `count` schools and `per_school` inspectors for each; raises DrawError.

    `conflicts` are (inspector_code, school_code) pairs; pairs naming unknown codes are ignored.
    """
    if not seed.strip():
        raise DrawError("随机种子不能为空")
    validate_draw(schools, inspectors, count, per_school, conflicts)
    ranked = sorted(schools, key=lambda s: (school_key(seed, s.code), s.code))
    drawn = ranked[:count]
    pool = sorted(inspectors, key=lambda i: i.code)
    barred = _barred(inspectors, conflicts)
    load = dict.fromkeys((i.code for i in pool), 0)
    picks = []
    for school in drawn:
        out = barred.get(school.code, {})
        keys = _inspector_keys(seed, school.code)
        chosen = sorted(
            (i for i in pool if i.code not in out),
            key=lambda i: (load[i.code], keys(i.code), i.code),
        )[:per_school]
        for i in chosen:
            load[i.code] += 1
        picks.append(DrawPick(school, tuple(chosen)))
    excluded = tuple(
        (code, s.code, reason)
        for s in drawn
        for code, reason in sorted(barred.get(s.code, {}).items())
    )
    return DrawResult(seed, seed_digest(seed), tuple(picks), excluded)


def _inspector_keys(seed: str, school_code: str) -> Callable[[str], str]:
    """`inspector_key(seed, school_code, ·)`, hashing the common prefix once."""
    prefix = hashlib.sha256(f"{seed}|inspector|{school_code}|".encode())

    def key(inspector_code: str) -> str:
        digest = prefix.copy()
        digest.update(inspector_code.encode("utf-8"))
        return digest.hexdigest()

    return key


def _barred(
    inspectors: Sequence[InspectorCandidate], conflicts: Collection[tuple[str, ...]]
) -> dict[str, dict[str, str]]:
    """school code -> {inspector code: reason} for every pair that may not be drawn together.

    The inspector's own school comes first (OWN_SCHOOL), then declared pairs naming a known
    inspector (DECLARED). Pairs naming an unknown inspector are ignored.
    """
    barred: dict[str, dict[str, str]] = {}
    for i in inspectors:
        if i.institution_code:
            barred.setdefault(i.institution_code, {})[i.code] = OWN_SCHOOL
    known = {i.code for i in inspectors}
    for pair in conflicts:
        inspector, school = pair[0], pair[1]
        if inspector in known:
            barred.setdefault(school, {}).setdefault(inspector, DECLARED)
    return barred


def validate_draw(
    schools: Sequence[SchoolCandidate],
    inspectors: Sequence[InspectorCandidate],
    count: int,
    per_school: int,
    conflicts: Collection[tuple[str, str]] = (),
) -> None:
    """Every check that does not depend on the seed; raises DrawError.

    The platform can call this when preparing a draw: a draw that passes here cannot fail later,
    whatever the seed (every candidate school has enough eligible inspectors).
    """
    if count < 1:
        raise DrawError(f"抽取学校数应至少为 1（收到 {count}）")
    if per_school < 1:
        raise DrawError(f"每校督学人数应至少为 1（收到 {per_school}）")
    _check_codes([s.code for s in schools], "学校代码")
    _check_codes([i.code for i in inspectors], "督学编号")
    if count > len(schools):
        raise DrawError(f"抽取学校数 {count} 超过了候选学校数 {len(schools)}")
    barred = _barred(inspectors, conflicts)
    short = []
    for school in schools:
        n = len(inspectors) - len(barred.get(school.code, {}))
        if n < per_school:
            short.append(f"{school.name}（{school.code}）只有 {n} 名")
    if short:
        listed = "；".join(short[:_LISTED]) + (f"等 {len(short)} 所学校" if len(short) > 1 else "")
        raise DrawError(f"可派督学不足每校 {per_school} 名：{listed}。请扩大督学库或减少每校人数")


def _check_codes(codes: list[str], label: str) -> None:
    if any(not c.strip() for c in codes):
        raise DrawError(f"{label}不能为空")
    dupes = sorted(c for c, n in Counter(codes).items() if n > 1)
    if dupes:
        raise DrawError(f"{label}重复：{'、'.join(dupes)}")


# ---------------------------------------------------------------- JSON


def result_to_dict(result: DrawResult) -> dict[str, object]:
    """A JSON-ready record of the draw with stable keys (the published record)."""
    return {
        "algorithm": ALGORITHM_VERSION,
        "seed": result.seed,
        "seed_digest": result.seed_digest,
        "picks": [
            {
                "order": n,
                "school": {"code": p.school.code, "name": p.school.name},
                "inspectors": [
                    {"code": i.code, "name": i.name, "institution_code": i.institution_code}
                    for i in p.inspectors
                ],
            }
            for n, p in enumerate(result.picks, start=1)
        ],
        "excluded": [
            {"inspector_code": i, "school_code": s, "reason": r} for i, s, r in result.excluded
        ],
    }


def result_from_dict(data: Mapping[str, object]) -> DrawResult:
    """The DrawResult back from `result_to_dict` output (e.g. a stored JSON record)."""
    picks = tuple(
        DrawPick(
            SchoolCandidate(p["school"]["code"], p["school"]["name"]),
            tuple(
                InspectorCandidate(i["code"], i["name"], i.get("institution_code", ""))
                for i in p["inspectors"]
            ),
        )
        for p in _records(data["picks"])
    )
    excluded = tuple(
        (e["inspector_code"], e["school_code"], e["reason"]) for e in _records(data["excluded"])
    )
    return DrawResult(str(data["seed"]), str(data["seed_digest"]), picks, excluded)


def _records(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise TypeError("expected a list of records")
    return value


# ---------------------------------------------------------------- CSV

BOM = "\ufeff"
SCHOOL_COLUMNS = (("code", "学校代码"), ("name", "学校名称"))
INSPECTOR_COLUMNS = (("code", "督学编号"), ("name", "姓名"), ("institution_code", "所在学校代码"))
CONFLICT_COLUMNS = (("inspector_code", "督学编号"), ("school_code", "学校代码"), ("reason", "原因"))
_REQUIRED = {"code", "name", "inspector_code", "school_code"}


def _write(columns: tuple[tuple[str, str], ...], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in columns])
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def schools_csv(schools: Iterable[SchoolCandidate]) -> str:
    """The schools CSV `dudao draw --schools` reads (UTF-8 text starting with a BOM, CRLF)."""
    return _write(SCHOOL_COLUMNS, ((s.code, s.name) for s in schools))


def inspectors_csv(inspectors: Iterable[InspectorCandidate]) -> str:
    """The inspectors CSV `dudao draw --inspectors` reads."""
    return _write(INSPECTOR_COLUMNS, ((i.code, i.name, i.institution_code) for i in inspectors))


def conflicts_csv(conflicts: Iterable[Sequence[str]]) -> str:
    """The conflicts CSV: (inspector_code, school_code) or (inspector_code, school_code, reason)."""
    return _write(CONFLICT_COLUMNS, ((c[0], c[1], c[2] if len(c) > 2 else "") for c in conflicts))


def read_schools_csv(path: Path | str) -> list[SchoolCandidate]:
    """Schools from a CSV file; raises InputErrors located by file, row and column."""
    return parse_schools_csv(Path(path).read_bytes(), Path(path).name)


def read_inspectors_csv(path: Path | str) -> list[InspectorCandidate]:
    """Inspectors from a CSV file; raises InputErrors."""
    return parse_inspectors_csv(Path(path).read_bytes(), Path(path).name)


def read_conflicts_csv(path: Path | str) -> list[tuple[str, str]]:
    """(inspector_code, school_code) pairs from a CSV file (the reason column is informative)."""
    return parse_conflicts_csv(Path(path).read_bytes(), Path(path).name)


def parse_schools_csv(data: bytes | str, source: str = "学校.csv") -> list[SchoolCandidate]:
    """Schools from CSV text or bytes; `source` names the file in error messages."""
    rows = _read(data, source, SCHOOL_COLUMNS, unique="code")
    return [SchoolCandidate(r["code"], r["name"]) for r in rows]


def parse_inspectors_csv(data: bytes | str, source: str = "督学.csv") -> list[InspectorCandidate]:
    """Inspectors from CSV text or bytes."""
    rows = _read(data, source, INSPECTOR_COLUMNS, unique="code")
    return [InspectorCandidate(r["code"], r["name"], r["institution_code"]) for r in rows]


def parse_conflicts_csv(data: bytes | str, source: str = "回避.csv") -> list[tuple[str, str]]:
    """Conflict pairs from CSV text or bytes, in file order, repeated pairs kept once."""
    rows = _read(data, source, CONFLICT_COLUMNS, unique=None)
    return list(dict.fromkeys((r["inspector_code"], r["school_code"]) for r in rows))


def _read(
    data: bytes | str, source: str, columns: tuple[tuple[str, str], ...], unique: str | None
) -> list[dict[str, str]]:
    """Rows as {key: stripped text}; Chinese headers or English keys; blank rows skipped."""
    text = _decode(data, source)
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or not any(c.strip() for c in lines[0]):
        raise InputErrors([InputError(source, None, None, None, "文件是空的，第 1 行应为表头")])
    errors: list[InputError] = []
    positions = _positions(lines[0], columns, source, errors)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in line):
            continue
        row = {k: (line[p].strip() if p < len(line) else "") for k, p in positions.items()}
        row.update({k: "" for k, _ in columns if k not in row})
        for key, header in columns:
            if key in _REQUIRED and not row[key]:
                errors.append(InputError(source, number, header, None, "不能为空"))
        if unique and row[unique]:
            if row[unique] in seen:
                header = dict(columns)[unique]
                reason = f"与第 {seen[row[unique]]} 行重复"
                errors.append(InputError(source, number, header, row[unique], reason))
            seen.setdefault(row[unique], number)
        rows.append(row)
    if errors:
        raise InputErrors(errors)
    return rows


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix(BOM)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        reason = "不是 UTF-8 编码的 CSV 文件（Excel 中请另存为“CSV UTF-8（逗号分隔）”）"
        raise InputErrors([InputError(source, None, None, None, reason)]) from None


def _positions(
    header: list[str],
    columns: tuple[tuple[str, str], ...],
    source: str,
    errors: list[InputError],
) -> dict[str, int]:
    """Column position of each key, found by its Chinese header or its English key."""
    names = [h.strip() for h in header]
    positions: dict[str, int] = {}
    for key, label in columns:
        for candidate in (label, key):
            if candidate in names:
                positions[key] = names.index(candidate)
                break
        else:
            if key in _REQUIRED:
                reason = f"缺少列“{label}”（第 1 行应为表头：{'、'.join(h for _, h in columns)}）"
                errors.append(InputError(source, 1, None, None, reason))
    if errors:
        raise InputErrors(errors)
    return positions
