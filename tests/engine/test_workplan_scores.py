"""Department performance scores: a worked example, ties, the floor, and a plain reference."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dudao.engine.workplan.ladder import ACTION_LABELS, ActionKind, TaskHistory, suggest_actions
from dudao.engine.workplan.lights import Light
from dudao.engine.workplan.scores import (
    PART_LABELS,
    DepartmentFacts,
    DepartmentScore,
    ScoreWeights,
    department_scores,
)


def facts(
    department: str,
    due: int = 0,
    on_time: int = 0,
    percents: tuple[int, ...] = (),
    *,
    notes: int = 0,
    actions: Mapping[str, int] | None = None,
) -> DepartmentFacts:
    return DepartmentFacts(department, due, on_time, percents, notes, actions or {})


def test_part_labels_are_chinese() -> None:
    assert list(PART_LABELS.values()) == ["按时报送", "任务完成", "督查情况", "问责扣分"]


def test_a_worked_example_by_hand() -> None:
    scores = department_scores(
        [
            # 30×5/6 = 25; 50×(100+50+30)/300 = 30; 20−2×3 = 14; −(2+3) = −5 → 64.0
            facts("教育股", 6, 5, (100, 50, 30), notes=3, actions={"criticism": 1, "talk": 1}),
            # nothing due, no lead task, no note: full marks in every part → 100.0
            facts("人事股"),
            # 30×2/4 = 15; 0; notes floor at 0; −2×10 = −20 → −5 → floor 0.0
            facts("安全股", 4, 2, (0,), notes=20, actions={"accountability": 2}),
        ]
    )
    assert scores == [
        DepartmentScore(
            "人事股",
            {"on_time": 30.0, "completion": 50.0, "supervision": 20.0, "deductions": 0.0},
            100.0,
            1,
        ),
        DepartmentScore(
            "教育股",
            {"on_time": 25.0, "completion": 30.0, "supervision": 14.0, "deductions": -5.0},
            64.0,
            2,
        ),
        DepartmentScore(
            "安全股",
            {"on_time": 15.0, "completion": 0.0, "supervision": 0.0, "deductions": -20.0},
            0.0,
            3,
        ),
    ]


def test_the_total_is_rounded_to_one_decimal() -> None:
    (score,) = department_scores([facts("教育股", 3, 1, (100,))])  # 10 + 50 + 20
    assert score.total == 80.0
    (score,) = department_scores([facts("教育股", 3, 2, (33,))])  # 20 + 16.5 + 20
    assert score.total == 56.5
    (score,) = department_scores([facts("教育股", 7, 1, (100,))])  # 4.2857… + 70
    assert score.total == 74.3


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    scores = department_scores(
        [facts("乙股", 2, 1), facts("甲股", 2, 1), facts("丙股", 2, 0), facts("丁股")]
    )
    assert [(s.department, s.rank) for s in scores] == [
        ("丁股", 1),
        ("乙股", 2),
        ("甲股", 2),
        ("丙股", 4),
    ]


def test_weights_are_configurable() -> None:
    weights = ScoreWeights(on_time=50, completion=50, supervision=0, deductions={"talk": 1.5})
    (score,) = department_scores(
        [facts("教育股", 2, 1, (50,), notes=4, actions={"talk": 2})], weights
    )
    assert score.parts == {
        "on_time": 25.0,
        "completion": 25.0,
        "supervision": 0.0,
        "deductions": -3.0,
    }
    assert score.total == 47.0


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (facts("教育股", 1, 2), "按时报送次数"),
        (facts("教育股", percents=(120,)), "0 到 100"),
        (facts("教育股", notes=-1), "督查问题数"),
        (facts("教育股", actions={"fine": 1}), "未知的问责类型"),
        (facts("教育股", actions={"talk": -1}), "不能为负数"),
    ],
)
def test_impossible_facts_are_refused(bad: DepartmentFacts, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        department_scores([bad])


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        ScoreWeights(per_note=-1)


# ---------------------------------------------------------------- against a plain reference


def reference(all_facts: list[DepartmentFacts]) -> list[tuple[str, float, int]]:
    """(department, total, rank) with the default weights, written out plainly."""
    totals = {}
    for f in all_facts:
        on_time = 30.0 if f.reports_due == 0 else 30.0 * f.reports_on_time / f.reports_due
        if f.task_percents:
            completion = 50.0 * sum(f.task_percents) / len(f.task_percents) / 100
        else:
            completion = 50.0
        supervision = 20.0 - 2.0 * f.critical_notes
        if supervision < 0:
            supervision = 0.0
        price = {"criticism": 2.0, "talk": 3.0, "written_review": 5.0, "accountability": 10.0}
        deducted = sum(price[k] * n for k, n in f.actions.items())
        total = round(round(on_time + completion + supervision - deducted, 6), 1)
        totals[f.department] = total if total > 0 else 0.0
    rows = []
    for name, total in totals.items():
        better = [other for other in totals.values() if other > total]
        rows.append((name, total, len(better) + 1))
    rows.sort(key=lambda r: (r[2], r[0]))
    return rows


@st.composite
def department_facts(draw: st.DrawFn, name: str) -> DepartmentFacts:
    due = draw(st.integers(0, 6))
    kinds = st.sampled_from(["criticism", "talk", "written_review", "accountability"])
    return DepartmentFacts(
        department=name,
        reports_due=due,
        reports_on_time=draw(st.integers(0, due)),
        task_percents=tuple(draw(st.lists(st.integers(0, 100), max_size=5))),
        critical_notes=draw(st.integers(0, 12)),
        actions=draw(st.dictionaries(kinds, st.integers(0, 3))),
    )


@given(st.data(), st.integers(1, 6))
def test_scores_match_a_plain_reference(data: st.DataObject, count: int) -> None:
    all_facts = [data.draw(department_facts(f"第{i}股")) for i in range(count)]
    got = [(s.department, s.total, s.rank) for s in department_scores(all_facts)]
    assert got == reference(all_facts)
    assert all(s.total >= 0 for s in department_scores(all_facts))


# ---------------------------------------------------------------- the accountability ladder
# (kept in this module: the ladder's actions are what the scores deduct)

G, Y, R = Light.GREEN, Light.YELLOW, Light.RED
YEAR_END = date(2026, 12, 31)
IN_YEAR = date(2026, 10, 1)


def history(
    task: str, *lights: Light, done: bool = False, deadline: date | None = date(2026, 12, 31)
) -> TaskHistory:
    return TaskHistory(task, deadline, done, lights)


def kinds(*histories: TaskHistory, today: date = IN_YEAR) -> list[str]:
    return [s.kind for s in suggest_actions(histories, today=today, year_end=YEAR_END)]


def test_action_labels_are_chinese() -> None:
    assert [ACTION_LABELS[k] for k in ActionKind] == ["通报批评", "约谈", "书面检查", "问责"]


def test_red_in_the_latest_round_suggests_criticism_and_a_talk() -> None:
    assert kinds(history("1", G, R)) == ["criticism", "talk"]
    assert kinds(history("1", R, G)) == []


def test_yellow_in_the_last_two_rounds_is_slow_but_one_yellow_is_not() -> None:
    assert kinds(history("1", Y, Y)) == ["criticism", "talk"]
    assert kinds(history("1", G, Y)) == []
    assert kinds(history("1", Y)) == []
    assert kinds(history("1", Y, Y, G)) == []
    assert kinds(history("1")) == []


def test_red_in_the_last_three_rounds_suggests_accountability_two_do_not() -> None:
    assert kinds(history("1", R, R, R)) == ["criticism", "talk", "accountability"]
    assert kinds(history("1", G, R, R)) == ["criticism", "talk"]
    assert kinds(history("1", R, Y, R)) == ["criticism", "talk"]


def test_an_unfinished_task_after_the_year_end_suggests_a_written_review() -> None:
    assert kinds(history("1", G), today=YEAR_END) == []
    assert kinds(history("1", G), today=date(2027, 1, 1)) == ["written_review"]
    assert kinds(history("1", G, done=True), today=date(2027, 1, 1)) == []
    assert kinds(history("1", G, deadline=None), today=date(2027, 1, 1)) == ["written_review"]


def test_a_task_due_after_the_year_is_not_a_yearly_task_of_this_year() -> None:
    later = history("1", G, deadline=date(2027, 6, 30))
    assert kinds(later, today=date(2027, 1, 1)) == []


def test_done_tasks_get_nothing_whatever_their_lights() -> None:
    assert kinds(history("1", R, R, R, done=True), today=date(2027, 1, 1)) == []


def test_one_suggestion_per_kind_names_every_task() -> None:
    suggestions = suggest_actions(
        [history("1", R), history("2", Y, Y), history("3", G), history("4", R, R, R)],
        today=date(2027, 1, 5),
        year_end=YEAR_END,
    )
    assert [s.kind for s in suggestions] == list(ActionKind)
    criticism, talk, review, accountability = (s.reason for s in suggestions)
    assert criticism == talk == "任务“1”、“2”、“4”进展缓慢（最近一轮红灯或连续两轮黄灯）"
    assert review == "任务“1”、“2”、“3”、“4”到年底（2026-12-31）仍未完成"
    assert accountability == "任务“4”连续三轮红灯，存在严重不作为"
