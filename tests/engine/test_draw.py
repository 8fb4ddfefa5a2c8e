"""The random draw (双随机): reproducibility, conflicts, the workload cap, errors, JSON and CSV."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dudao.engine.draw import (
    ALGORITHM_VERSION,
    DECLARED,
    OWN_SCHOOL,
    DrawError,
    DrawResult,
    InspectorCandidate,
    SchoolCandidate,
    conflicts_csv,
    draw,
    inspectors_csv,
    parse_conflicts_csv,
    parse_inspectors_csv,
    parse_schools_csv,
    read_conflicts_csv,
    read_inspectors_csv,
    read_schools_csv,
    result_from_dict,
    result_to_dict,
    schools_csv,
    seed_digest,
    validate_draw,
)
from dudao.engine.tables.errors import InputErrors


def make_schools(n: int) -> list[SchoolCandidate]:
    return [SchoolCandidate(f"S{k:03d}", f"第{k}小学") for k in range(1, n + 1)]


def make_inspectors(n: int, own: dict[int, str] | None = None) -> list[InspectorCandidate]:
    own = own or {}
    return [InspectorCandidate(f"D{k:03d}", f"督学{k}", own.get(k, "")) for k in range(1, n + 1)]


def codes(result: DrawResult) -> list[tuple[str, list[str]]]:
    return [(p.school.code, [i.code for i in p.inspectors]) for p in result.picks]


# ---------------------------------------------------------------- an independent reference


def reference_draw(  # noqa: PLR0917 -- mirrors draw()
    seed: str,
    schools: list[tuple[str, str]],
    inspectors: list[tuple[str, str]],
    n: int,
    m: int,
    conflicts: set[tuple[str, str]],
) -> list[tuple[str, list[str]]] | None:
    """docs/random-draw.md step by step; schools (code, name), inspectors (code, own school).

    Returns None where the document says the draw is refused.
    """

    def h(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def barred(inspector: tuple[str, str], school: str) -> bool:
        code, own = inspector
        return (own != "" and own == school) or (code, school) in conflicts

    for school, _ in schools:
        if len([i for i in inspectors if not barred(i, school)]) < m:
            return None
    order = sorted((h(seed + "|school|" + code), code) for code, _ in schools)
    drawn = [code for _, code in order[:n]]
    load = {i[0]: 0 for i in inspectors}
    out = []
    for school in drawn:
        ranked = sorted(
            (load[i[0]], h(seed + "|inspector|" + school + "|" + i[0]), i[0])
            for i in inspectors
            if not barred(i, school)
        )
        taken = [code for _, _, code in ranked[:m]]
        for code in taken:
            load[code] += 1
        out.append((school, taken))
    return out


@st.composite
def draw_cases(draw_: st.DrawFn) -> tuple[str, list, list, int, int, set]:
    n_schools = draw_(st.integers(1, 8))
    school_codes = [f"X{k}" for k in range(n_schools)]
    n_insp = draw_(st.integers(1, 8))
    owns = draw_(st.lists(st.sampled_from(["", *school_codes]), min_size=n_insp, max_size=n_insp))
    inspectors = [(f"I{k}", owns[k]) for k in range(n_insp)]
    pairs = [(i, s) for i, _ in inspectors for s in school_codes]
    conflicts = set(draw_(st.lists(st.sampled_from(pairs), max_size=6)))
    seed = draw_(st.text(min_size=1, max_size=12).filter(str.strip))
    count = draw_(st.integers(1, n_schools))
    per_school = draw_(st.integers(1, 3))
    return seed, [(c, f"校{c}") for c in school_codes], inspectors, count, per_school, conflicts


@settings(max_examples=300, deadline=None)
@given(draw_cases())
def test_the_engine_matches_an_independent_reading_of_the_documented_algorithm(
    case: tuple[str, list, list, int, int, set],
) -> None:
    seed, schools, inspectors, count, per_school, conflicts = case
    expected = reference_draw(seed, schools, inspectors, count, per_school, conflicts)
    school_objs = [SchoolCandidate(c, n) for c, n in schools]
    insp_objs = [InspectorCandidate(c, f"名{c}", own) for c, own in inspectors]
    if expected is None:
        with pytest.raises(DrawError):
            draw(seed, school_objs, insp_objs, count, per_school, conflicts)
        return
    result = draw(seed, school_objs, insp_objs, count, per_school, conflicts)
    assert codes(result) == expected


# ---------------------------------------------------------------- reproducibility


def test_the_seed_digest_is_the_sha256_of_the_seed() -> None:
    assert seed_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert seed_digest("抽签") == hashlib.sha256("抽签".encode()).hexdigest()


def test_a_known_draw_gives_the_published_answer() -> None:
    """The example of docs/random-draw.md; a change here needs a new ALGORITHM_VERSION."""
    result = draw("2026", make_schools(6), make_inspectors(4, {1: "S004"}), 2, 2)
    assert ALGORITHM_VERSION == "dudao-draw-1"
    assert result.seed_digest.startswith("158a323a7ba4")
    assert codes(result) == [("S004", ["D004", "D003"]), ("S006", ["D002", "D001"])]
    assert result.excluded == (("D001", "S004", OWN_SCHOOL),)


def test_the_same_seed_and_candidates_give_the_same_draw_whatever_the_row_order() -> None:
    schools, inspectors = make_schools(30), make_inspectors(12, {1: "S001", 2: "S005"})
    conflicts = [("D003", "S007"), ("D004", "S010")]
    first = draw("seed-1", schools, inspectors, 5, 3, conflicts)
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(schools)
        rng.shuffle(inspectors)
        rng.shuffle(conflicts)
        again = draw("seed-1", schools, inspectors, 5, 3, set(conflicts))
        assert again == first


def test_different_seeds_give_different_draws() -> None:
    schools, inspectors = make_schools(30), make_inspectors(10)
    lists = {
        tuple(p.school.code for p in draw(f"seed-{k}", schools, inspectors, 5, 2).picks)
        for k in range(20)
    }
    assert len(lists) >= 15


def test_the_seed_is_used_verbatim() -> None:
    schools, inspectors = make_schools(30), make_inspectors(10)
    plain = draw("123456", schools, inspectors, 5, 2)
    padded = draw(" 123456", schools, inspectors, 5, 2)
    assert plain.seed == "123456"
    assert padded.seed_digest == seed_digest(" 123456")
    assert codes(plain) != codes(padded)


# ---------------------------------------------------------------- conflicts and the workload


def test_no_inspector_is_sent_to_their_own_school_or_a_declared_conflict() -> None:
    schools = make_schools(4)
    inspectors = make_inspectors(5, {1: "S001", 2: "S002", 3: "S003", 4: "S004"})
    conflicts = {("D005", "S001"), ("D005", "S003"), ("D001", "S999")}
    result = draw("x", schools, inspectors, 4, 3, conflicts)
    for pick in result.picks:
        for inspector in pick.inspectors:
            assert inspector.institution_code != pick.school.code
            assert (inspector.code, pick.school.code) not in conflicts
        assert len(pick.inspectors) == 3
        assert len({i.code for i in pick.inspectors}) == 3
    order = [p.school.code for p in result.picks]
    expected = sorted(
        [(f"D00{k}", f"S00{k}", OWN_SCHOOL) for k in range(1, 5)]
        + [("D005", "S001", DECLARED), ("D005", "S003", DECLARED)],
        key=lambda e: (order.index(e[1]), e[0]),
    )
    assert list(result.excluded) == expected


def test_conflicts_of_schools_not_drawn_are_not_listed_as_applied() -> None:
    schools, inspectors = make_schools(10), make_inspectors(4)
    result = draw("x", schools, inspectors, 1, 1, {("D001", s.code) for s in schools})
    drawn = result.picks[0].school.code
    assert result.excluded == (("D001", drawn, DECLARED),)


def test_the_workload_is_shared_evenly_without_conflicts() -> None:
    schools, inspectors = make_schools(40), make_inspectors(10)
    for k in range(10):
        result = draw(f"cap-{k}", schools, inspectors, 20, 2)
        loads = [sum(i in p.inspectors for p in result.picks) for i in inspectors]
        assert loads == [4] * 10  # ceil(20 * 2 / 10): 40 visits shared evenly


def test_the_even_share_gives_way_when_only_busy_inspectors_are_eligible() -> None:
    # D001 and D002 are the only inspectors allowed at S001 and at S002: both go to both.
    schools = make_schools(2)
    inspectors = make_inspectors(3)
    conflicts = {("D003", "S001"), ("D003", "S002")}
    result = draw("k", schools, inspectors, 2, 2, conflicts)
    assert [sorted(c) for _, c in codes(result)] == [["D001", "D002"], ["D001", "D002"]]


# ---------------------------------------------------------------- refused draws


@pytest.mark.parametrize(
    ("seed", "count", "per_school", "message"),
    [
        ("", 1, 1, "随机种子不能为空"),
        ("  ", 1, 1, "随机种子不能为空"),
        ("s", 0, 1, "抽取学校数应至少为 1"),
        ("s", 1, 0, "每校督学人数应至少为 1"),
        ("s", 6, 1, "抽取学校数 6 超过了候选学校数 5"),
    ],
)
def test_impossible_arguments_are_refused_in_chinese(
    seed: str, count: int, per_school: int, message: str
) -> None:
    with pytest.raises(DrawError, match=message):
        draw(seed, make_schools(5), make_inspectors(3), count, per_school)


def test_duplicate_or_empty_codes_are_refused() -> None:
    schools = [*make_schools(3), SchoolCandidate("S002", "重名学校")]
    with pytest.raises(DrawError, match="学校代码重复：S002"):
        draw("s", schools, make_inspectors(3), 1, 1)
    inspectors = [*make_inspectors(3), InspectorCandidate("D001", "又一个")]
    with pytest.raises(DrawError, match="督学编号重复：D001"):
        draw("s", make_schools(3), inspectors, 1, 1)
    with pytest.raises(DrawError, match="学校代码不能为空"):
        draw("s", [SchoolCandidate(" ", "无代码")], make_inspectors(3), 1, 1)


def test_a_school_with_too_few_eligible_inspectors_is_named_whatever_the_seed() -> None:
    schools = make_schools(20)
    inspectors = make_inspectors(3, {1: "S017"})
    conflicts = {("D002", "S017")}
    for seed in ("a", "b", "c"):
        with pytest.raises(DrawError, match=r"第17小学（S017）只有 1 名") as caught:
            draw(seed, schools, inspectors, 1, 2, conflicts)
        assert "可派督学不足每校 2 名" in str(caught.value)
    with pytest.raises(DrawError):
        validate_draw(schools, inspectors, 1, 2, conflicts)
    validate_draw(schools, inspectors, 1, 1, conflicts)


def test_an_empty_pool_is_refused() -> None:
    with pytest.raises(DrawError, match="只有 0 名"):
        draw("s", make_schools(2), [], 1, 1)


# ---------------------------------------------------------------- the JSON record


def test_the_record_is_json_ready_with_stable_keys_and_reads_back() -> None:
    result = draw("r", make_schools(8), make_inspectors(5, {1: "S001"}), 3, 2, {("D002", "S002")})
    record = result_to_dict(result)
    assert list(record) == ["algorithm", "seed", "seed_digest", "picks", "excluded"]
    assert record["algorithm"] == ALGORITHM_VERSION
    assert record["seed_digest"] == seed_digest("r")
    first = record["picks"][0]  # type: ignore[index]
    assert first["order"] == 1
    assert list(first["school"]) == ["code", "name"]
    assert list(first["inspectors"][0]) == ["code", "name", "institution_code"]
    text = json.dumps(record, ensure_ascii=False)
    assert result_from_dict(json.loads(text)) == result


# ---------------------------------------------------------------- CSV


def test_the_writers_produce_csv_the_readers_read_back(tmp_path: Path) -> None:
    schools = make_schools(3)
    inspectors = make_inspectors(3, {2: "S001"})
    files = {
        "学校.csv": schools_csv(schools),
        "督学.csv": inspectors_csv(inspectors),
        "回避.csv": conflicts_csv([("D001", "S002", "亲属在该校任教"), ("D003", "S003")]),
    }
    for name, text in files.items():
        assert text.startswith("\ufeff")
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    assert (
        files["学校.csv"]
        == "\ufeff学校代码,学校名称\r\nS001,第1小学\r\nS002,第2小学\r\nS003,第3小学\r\n"
    )
    assert files["回避.csv"].splitlines()[0] == "\ufeff督学编号,学校代码,原因"
    assert read_schools_csv(tmp_path / "学校.csv") == schools
    assert read_inspectors_csv(tmp_path / "督学.csv") == inspectors
    assert read_conflicts_csv(str(tmp_path / "回避.csv")) == [("D001", "S002"), ("D003", "S003")]


def test_hand_written_csv_with_english_keys_blank_rows_and_spaces_is_read() -> None:
    text = "name,code,extra\n 一小 , S1 ,x\n,,\n二小,S2,\n"
    assert parse_schools_csv(text.encode("utf-8")) == [
        SchoolCandidate("S1", "一小"),
        SchoolCandidate("S2", "二小"),
    ]
    inspectors = parse_inspectors_csv("督学编号,姓名\nD1,张三\n")
    assert inspectors == [InspectorCandidate("D1", "张三", "")]
    pairs = parse_conflicts_csv("inspector_code,school_code\nD1,S1\nD1,S1\nD2,S1\n")
    assert pairs == [("D1", "S1"), ("D2", "S1")]


def test_csv_problems_are_located_by_file_row_and_column() -> None:
    text = "学校代码,学校名称\nS1,一小\n,二小\nS1,三小\nS4,\n"
    with pytest.raises(InputErrors) as caught:
        parse_schools_csv(text, "学校.csv")
    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "文件“学校.csv”第 3 行，列“学校代码”：不能为空",
        "文件“学校.csv”第 4 行，列“学校代码”，值“S1”：与第 2 行重复",
        "文件“学校.csv”第 5 行，列“学校名称”：不能为空",
    ]


def test_a_missing_column_an_empty_file_and_a_wrong_encoding_are_reported() -> None:
    with pytest.raises(InputErrors, match="缺少列“姓名”"):
        parse_inspectors_csv("督学编号,所在学校代码\nD1,S1\n", "督学.csv")
    with pytest.raises(InputErrors, match="文件是空的"):
        parse_conflicts_csv(b"", "回避.csv")
    with pytest.raises(InputErrors, match="不是 UTF-8 编码"):
        parse_schools_csv("学校代码,学校名称\nS1,一小\n".encode("gb18030"), "学校.csv")


def test_the_published_csv_files_reproduce_the_draw() -> None:
    schools = make_schools(25)
    inspectors = make_inspectors(9, {1: "S003", 4: "S010"})
    conflicts = [("D002", "S011", "曾任该校校长"), ("D005", "S020", "")]
    stored = draw("7f3a", schools, inspectors, 6, 2, [(i, s) for i, s, _ in conflicts])
    again = draw(
        "7f3a",
        parse_schools_csv(schools_csv(reversed(schools))),
        parse_inspectors_csv(inspectors_csv(inspectors).encode("utf-8")),
        6,
        2,
        parse_conflicts_csv(conflicts_csv(conflicts)),
    )
    assert result_to_dict(again) == result_to_dict(stored)


def test_conflicts_with_a_reason_attached_are_accepted_like_pairs() -> None:
    schools, inspectors = make_schools(3), make_inspectors(3)
    pairs = [("D001", "S001"), ("D002", "S002")]
    with_reasons = [("D001", "S001", "亲属"), ("D002", "S002", "上次督导")]
    assert draw("r", schools, inspectors, 3, 1, with_reasons) == draw(  # type: ignore[arg-type]
        "r", schools, inspectors, 3, 1, pairs
    )
