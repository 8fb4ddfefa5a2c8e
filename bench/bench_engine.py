"""National-scale benchmark (`make bench`; never part of `make test`).

1. 200,000 schools in 2,800 counties evaluated by the engine and by the plain-Python
   reference implementation (tests/engine/reference.py) in the same run; both times and
   the ratio, and a check that both give the same answers.
2. Import of a 50,000-row .xlsx with the engine's reader, against openpyxl reading the
   same file cell by cell.
3. A province-wide random draw (双随机) by the engine, against the plain step-by-step reference
   of docs/random-draw.md (tests/engine/test_draw.py) on the same candidates, same result.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "engine"))

from reference import reference_evaluate  # noqa: E402
from test_draw import reference_draw  # noqa: E402

from dudao.engine.demo import demo_schools  # noqa: E402
from dudao.engine.draw import InspectorCandidate, SchoolCandidate, draw  # noqa: E402
from dudao.engine.evaluate import evaluate  # noqa: E402
from dudao.engine.indicators import evaluate_units, weighted_cv  # noqa: E402
from dudao.engine.results import value_col  # noqa: E402
from dudao.engine.spec import load_framework  # noqa: E402
from dudao.engine.tables import read_schools, write_template  # noqa: E402
from dudao.engine.units import build_units  # noqa: E402

COUNTIES, SCHOOLS_PER_COUNTY, IMPORT_ROWS = 2800, 72, 50_000
DRAW_SCHOOLS, DRAW_INSPECTORS, DRAW_COUNT, DRAW_PER_SCHOOL = 4000, 600, 400, 3


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall-clock seconds over `repeat` runs, and the last result.

    Like timeit, the cyclic garbage collector is off while timing, for both sides alike:
    otherwise the 200,000 row dicts held for the reference are rescanned during the runs.
    """
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times), result


def engine_core(fw: Any, schools: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The same scope as the reference: units, indicator values, unit rule, CVs."""
    units = evaluate_units(build_units(schools, fw), fw)
    return units, weighted_cv(units, fw)


def compare(units: pl.DataFrame, cv: pl.DataFrame, ref: dict[str, Any]) -> tuple[int, int, float]:
    """Passing included units by engine and reference, and the largest CV difference."""
    engine_passed = units.filter(pl.col("passed") == True).height  # noqa: E712
    ref_passed = sum(1 for u in ref["units"].values() if u["passed"] is True and not u["excluded"])
    worst = 0.0
    for row in cv.iter_rows(named=True):
        other = ref["cv"].get((row["county"], row["level"], row["indicator"]))
        if row["cv"] is not None and other is not None:
            worst = max(worst, abs(row["cv"] - other))
    return engine_passed, ref_passed, worst


def bench_engine() -> None:
    fw = load_framework("yzjh-2017")
    schools = demo_schools(COUNTIES, SCHOOLS_PER_COUNTY, seed=7)
    print(f"数据：{schools.height:,} 所学校，{COUNTIES:,} 个区县（demo_schools，种子 7）")
    t_core, (units, cv) = timed(lambda: engine_core(fw, schools), repeat=5)
    t_full, _ = timed(lambda: evaluate(fw, schools), repeat=3)
    # Each side is timed on its own input form; the reference's 200,000 dicts are built
    # only after the engine runs (holding them slows unrelated work in this process).
    rows = schools.to_dicts()
    t_ref, ref = timed(lambda: reference_evaluate(rows), repeat=2)
    e_pass, r_pass, worst = compare(units, cv, ref)
    print(f"单位数：{units.height:,}；引擎判定达标 {e_pass:,}，参照实现 {r_pass:,}")
    print(f"差异系数最大偏差：{worst:.2e}（共 {cv.height:,} 个差异系数）")
    print(f"引擎（单位、指标、达标规则、差异系数）：{t_core:.3f} s（5 次中位数）")
    print(f"纯 Python 参照实现（同样范围）：      {t_ref:.3f} s（2 次中位数）")
    print(f"倍数：{t_ref / t_core:.1f}×")
    print(f"完整评估 evaluate()（另含县级项目、差距测算、原因说明）：{t_full:.3f} s（3 次中位数）")
    assert value_col("teaching_area_per_student") in units.columns


def openpyxl_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb["学校基础数据"].iter_rows(values_only=True))
    wb.close()
    return n


def bench_import() -> None:
    fw = load_framework("yzjh-2017")
    counties = IMPORT_ROWS // SCHOOLS_PER_COUNTY + 1
    schools = demo_schools(counties, SCHOOLS_PER_COUNTY, seed=11).head(IMPORT_ROWS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schools.xlsx"
        write_template(fw, path, schools=schools)
        size = path.stat().st_size / 1e6
        t_read, frame = timed(lambda: read_schools(path, fw), repeat=3)
        t_openpyxl, _ = timed(lambda: openpyxl_read(path), repeat=1)
    print(f"\n导入 {frame.height:,} 行 .xlsx（{size:.1f} MB）：")
    print(f"引擎 read_schools（含全部校验）：{t_read:.3f} s（3 次中位数）")
    print(f"openpyxl 逐格读取（不做校验）：  {t_openpyxl:.3f} s")
    print(f"倍数：{t_openpyxl / t_read:.1f}×")


def bench_draw() -> None:
    schools = [SchoolCandidate(f"S{k:05d}", f"第{k}学校") for k in range(DRAW_SCHOOLS)]
    inspectors = [
        InspectorCandidate(f"D{k:04d}", f"督学{k}", f"S{k * 7:05d}" if k % 2 else "")
        for k in range(DRAW_INSPECTORS)
    ]
    conflicts = {(f"D{k:04d}", f"S{(k * 13) % DRAW_SCHOOLS:05d}") for k in range(DRAW_INSPECTORS)}
    seed = "2026-省级双随机"
    args = (seed, schools, inspectors, DRAW_COUNT, DRAW_PER_SCHOOL, conflicts)
    t_engine, result = timed(lambda: draw(*args), repeat=5)
    plain_schools = [(s.code, s.name) for s in schools]
    plain_inspectors = [(i.code, i.institution_code) for i in inspectors]
    ref_args = (seed, plain_schools, plain_inspectors, DRAW_COUNT, DRAW_PER_SCHOOL, conflicts)
    t_ref, expected = timed(lambda: reference_draw(*ref_args), repeat=1)
    got = [(p.school.code, [i.code for i in p.inspectors]) for p in result.picks]
    print(f"\n双随机：从 {DRAW_SCHOOLS:,} 所学校抽 {DRAW_COUNT} 所，每校 {DRAW_PER_SCHOOL} 名督学")
    print(f"（督学库 {DRAW_INSPECTORS} 人，回避 {len(conflicts)} 对）")
    print(f"与参照实现结果相同：{got == expected}")
    print(f"引擎 draw()：{t_engine:.3f} s（5 次中位数）")
    print(f"逐步参照实现：{t_ref:.3f} s")
    print(f"倍数：{t_ref / t_engine:.1f}×")
    assert got == expected


if __name__ == "__main__":
    bench_engine()
    bench_import()
    bench_draw()
