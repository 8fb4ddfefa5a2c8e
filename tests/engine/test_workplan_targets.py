"""Quantified targets (目标) in a task's text and the deadlines (完成时限) tables write."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dudao.engine.workplan.targets import MAX_CLAUSE, _normal, extract_targets, parse_deadline

# ---------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全面落实三个100%要求", ("全面落实三个100%要求",)),
        ("义务教育巩固率达到99%以上", ("义务教育巩固率达到99%以上",)),
        ("达标率100%", ("达标率100%",)),
        ("乡镇学校内部每年交流教师10%—15%", ("乡镇学校内部每年交流教师10%—15%",)),
        ("每年交流教师10%-15%，", ("每年交流教师10%-15%",)),
        ("全年培训教师500人次", ("全年培训教师500人次",)),
        ("新建学校3所", ("新建学校3所",)),
        ("改造厕所15间", ("改造厕所15间",)),
        ("覆盖12个乡镇", ("覆盖12个乡镇",)),
        ("招聘教师不少于120名", ("招聘教师不少于120名",)),
        ("学前三年毛入园率达到９０％以上", ("学前三年毛入园率达到90%以上",)),
        ("招聘教师120名，2026年6月底前完成", ("招聘教师120名",)),
        (
            "巩固率达到99%；\n高中阶段毛入学率92%。开展专项督导",
            ("巩固率达到99%", "高中阶段毛入学率92%"),
        ),
    ],
)
def test_quantified_clauses_are_targets(text: str, expected: tuple[str, ...]) -> None:
    assert extract_targets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "开展专项督导",
        "2026年6月完成",
        "2026年6月30日前完成验收",
        "完成第3次调度",
        "确保第12名以内",
        "按照华教发〔2021〕2号文件要求完成",
        "落实湘教发[2023]15号文件",
        "每年10月开展",
        "投入资金1200万元",  # a count without a word stating an aim
        "新建三所学校",  # numbers in words are not read
    ],
)
def test_dates_ordinals_document_numbers_and_plain_text_are_not_targets(text: str) -> None:
    assert extract_targets(text) == ()


def test_a_target_stated_twice_is_returned_once_in_first_order() -> None:
    text = "新增学位1000个；达标率100%；新增学位1000个"
    assert extract_targets(text) == ("新增学位1000个", "达标率100%")


def test_a_long_clause_is_cut_around_the_quantity() -> None:
    clause = "进一步深化县域内义务教育阶段学校校长教师交流轮岗工作机制改革" * 2 + "交流比例达到15%"
    (target,) = extract_targets(clause)
    assert len(target) == MAX_CLAUSE
    assert target.endswith("达到15%") and target in clause


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-06-30", date(2026, 6, 30)),
        ("2026/6/30", date(2026, 6, 30)),
        ("2026.6.30", date(2026, 6, 30)),
        ("2026年6月30日", date(2026, 6, 30)),
        ("2026-06-30 00:00:00", date(2026, 6, 30)),  # an Excel date as the grid writes it
        ("２０２６年６月３０日", date(2026, 6, 30)),
        ("6月30日", date(2026, 6, 30)),
        ("6月30日前", date(2026, 6, 30)),
        ("12月31日前完成", date(2026, 12, 31)),
        ("2026年6月底", date(2026, 6, 30)),
        ("6月底", date(2026, 6, 30)),
        ("6月底前", date(2026, 6, 30)),
        ("9月份", date(2026, 9, 30)),
        ("2月", date(2026, 2, 28)),
        ("2027年6月", date(2027, 6, 30)),
        ("年底", date(2026, 12, 31)),
        ("2026年底", date(2026, 12, 31)),
        ("2027年底前", date(2027, 12, 31)),
        ("年末", date(2026, 12, 31)),
        ("全年", date(2026, 12, 31)),
        ("长期", date(2026, 12, 31)),
        ("持续推进", date(2026, 12, 31)),
        ("常态化", date(2026, 12, 31)),
        ("每季度", date(2026, 12, 31)),
        ("按学期", date(2026, 12, 31)),
        ("上半年", date(2026, 6, 30)),
        ("2027年上半年", date(2027, 6, 30)),
        ("下半年", date(2026, 12, 31)),
        ("3月至6月", date(2026, 6, 30)),
        ("2027年3月—6月", date(2027, 6, 30)),
        ("2026年3月-2026年9月", date(2026, 9, 30)),
        (" 6月30日 ", date(2026, 6, 30)),
    ],
)
def test_deadline_forms(cell: str, expected: date) -> None:
    assert parse_deadline(cell, 2026) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "",
        "   ",
        "按要求",
        "完成",
        "2026-02-30",
        "13月",
        "6月32日",
        "3月至按要求",
        "2026-06-30 12:00:00",
    ],
)
def test_unreadable_or_impossible_deadlines_are_none(cell: str) -> None:
    assert parse_deadline(cell, 2026) is None


def test_a_deadline_without_a_year_takes_the_plan_year() -> None:
    assert parse_deadline("2月底", 2028) == date(2028, 2, 29)
    assert parse_deadline("2月底", 2027) == date(2027, 2, 28)


# ---------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    [
        "达到",
        "完成",
        "新建",
        "培训",
        "确保",
        "每年",
        "教师",
        "学校",
        "第",
        "〔",
        "〕",
        "号",
        "年",
        "月",
        "日",
        "所",
        "人",
        "个",
        "三个",
        "%",
        "％",
        "—",
        "-",
        "至",
        ".",
        " ",
        "\u3000",
        "，",
        "。",
        "；",
        "\n",
        "以上",
    ]
)
_NUMBERS = st.integers(0, 3000).map(str) | st.sampled_from(["１００", "９５", "2026", "99.5"])
_TEXTS = st.lists(_PIECES | _NUMBERS, max_size=30).map("".join)


@given(_TEXTS)
def test_targets_are_distinct_pieces_of_the_text_in_order(text: str) -> None:
    found = extract_targets(text)
    normal = _normal(text)
    assert len(set(found)) == len(found)
    position = 0
    for target in found:
        assert target and len(target) <= MAX_CLAUSE
        assert not set(target) & set("，。；\n")
        at = normal.find(target, position)
        assert at >= 0, (target, normal)
        position = at + len(target)


@given(_TEXTS, _TEXTS)
def test_targets_of_two_sentences_are_the_targets_of_each(first: str, second: str) -> None:
    both = extract_targets(first + "。" + second)
    assert both == tuple(dict.fromkeys(extract_targets(first) + extract_targets(second)))


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(1, 28))
def test_written_dates_are_never_targets_and_always_deadlines(
    year: int, month: int, day: int
) -> None:
    assert extract_targets(f"{year}年{month}月{day}日前完成") == ()
    expected = date(year, month, day)
    for cell in (
        f"{year}年{month}月{day}日",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}/{month}/{day}",
    ):
        assert parse_deadline(cell, 2026) == expected
