"""Traffic lights of key tasks: every boundary, with exact dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dudao.engine.workplan.lights import (
    STATUS_LABELS,
    Light,
    LightRules,
    ReportStatus,
    Signal,
    expected_percent,
    traffic_light,
)

START = date(2026, 1, 1)
DEADLINE = date(2026, 4, 11)  # 100 days after START


def light(
    today: date,
    *,
    status: str | None = ReportStatus.IN_PROGRESS,
    percent: int | None = 100,
    deadline: date | None = DEADLINE,
    start: date = START,
    rules: LightRules | None = None,
) -> Signal:
    return traffic_light(
        today=today,
        start=start,
        deadline=deadline,
        status=status,
        percent=percent,
        rules=rules or LightRules(),
    )


def test_status_labels_are_chinese() -> None:
    assert [STATUS_LABELS[s] for s in ReportStatus] == [
        "未启动",
        "推进中",
        "已完成",
        "滞后",
        "受阻",
    ]


def test_on_the_deadline_day_it_is_yellow_today() -> None:
    assert light(DEADLINE) == Signal(Light.YELLOW, "今天截止")


def test_the_day_after_the_deadline_it_is_red_overdue() -> None:
    assert light(DEADLINE + timedelta(days=1)) == Signal(Light.RED, "已逾期 1 天")
    assert light(DEADLINE + timedelta(days=30)) == Signal(Light.RED, "已逾期 30 天")


def test_exactly_warning_days_before_the_deadline_is_yellow_one_more_is_green() -> None:
    assert light(DEADLINE - timedelta(days=15)) == Signal(Light.YELLOW, "距截止还有 15 天")
    assert light(DEADLINE - timedelta(days=16)) == Signal(Light.GREEN, "按计划推进")


def test_custom_warning_days_move_the_boundary() -> None:
    rules = LightRules(warning_days=0)
    assert light(DEADLINE - timedelta(days=1), rules=rules).light == Light.GREEN
    assert light(DEADLINE, rules=rules) == Signal(Light.YELLOW, "今天截止")


def test_behind_plan_by_exactly_the_margin_is_green_one_more_is_yellow() -> None:
    today = date(2026, 2, 20)  # 50 of 100 days: the plan expects 50%
    assert light(today, percent=30) == Signal(Light.GREEN, "按计划推进")
    assert light(today, percent=29) == Signal(Light.YELLOW, "进度 29%，按计划应达 50%")


def test_the_expected_percent_is_rounded_down() -> None:
    deadline = date(2026, 1, 31)  # 30 days
    today = date(2026, 1, 11)  # 10/30 → 33.3 → 33
    assert expected_percent(today=today, start=START, deadline=deadline) == 33
    rules = LightRules(warning_days=0)
    assert light(today, deadline=deadline, percent=13, rules=rules).light == Light.GREEN
    assert light(today, deadline=deadline, percent=12, rules=rules) == Signal(
        Light.YELLOW, "进度 12%，按计划应达 33%"
    )


def test_a_missing_percent_counts_as_zero() -> None:
    assert light(date(2026, 1, 21), percent=None).light == Light.GREEN  # expects 20
    assert light(date(2026, 1, 22), percent=None) == Signal(Light.YELLOW, "进度 0%，按计划应达 21%")


def test_before_the_start_nothing_is_expected() -> None:
    assert expected_percent(today=date(2025, 12, 1), start=START, deadline=DEADLINE) == 0
    assert light(date(2025, 12, 1), percent=0).light == Light.GREEN
    assert expected_percent(today=START, start=START, deadline=START) == 0
    assert expected_percent(today=DEADLINE, start=DEADLINE, deadline=START) == 0


def test_without_a_deadline_only_the_status_decides() -> None:
    far = date(2030, 1, 1)
    assert light(far, deadline=None, percent=0) == Signal(Light.GREEN, "未设截止日期")
    assert light(far, deadline=None, status=None) == Signal(Light.GREEN, "未设截止日期")
    assert light(far, deadline=None, status="lagging") == Signal(Light.RED, "自报滞后")
    assert light(far, deadline=None, status="blocked") == Signal(Light.RED, "自报受阻")
    assert light(far, deadline=None, status="done") == Signal(Light.GREEN, "已完成")


def test_a_self_reported_lag_is_red_before_the_deadline_and_overdue_after() -> None:
    assert light(START, status="lagging") == Signal(Light.RED, "自报滞后")
    assert light(DEADLINE + timedelta(days=2), status="blocked") == Signal(Light.RED, "已逾期 2 天")


def test_done_after_the_deadline_is_green() -> None:
    assert light(DEADLINE + timedelta(days=10), status="done", percent=100) == Signal(
        Light.GREEN, "已完成"
    )


@pytest.mark.parametrize("rules", [{"warning_days": -1}, {"behind_margin": -1}])
def test_negative_rules_are_refused(rules: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        LightRules(**rules)


def test_unknown_status_and_impossible_percent_are_refused() -> None:
    with pytest.raises(ValueError, match="未知的进度状态"):
        light(START, status="finished")
    with pytest.raises(ValueError, match="0 到 100"):
        light(START, percent=101)


days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
statuses = st.sampled_from([None, *ReportStatus])
percents = st.none() | st.integers(0, 100)
rules = st.builds(LightRules, st.integers(0, 60), st.integers(0, 100))


@given(days, days, st.none() | days, percents, rules)
def test_done_is_always_green(
    today: date, start: date, deadline: date | None, percent: int | None, r: LightRules
) -> None:
    signal = light(today, start=start, deadline=deadline, status="done", percent=percent, rules=r)
    assert signal.light == Light.GREEN


@given(
    deadline=days, start=days, late=st.integers(1, 900), status=statuses, percent=percents, r=rules
)
def test_overdue_and_not_done_is_always_red(
    *,
    deadline: date,
    start: date,
    late: int,
    status: str | None,
    percent: int | None,
    r: LightRules,
) -> None:
    if status == ReportStatus.DONE:
        status = ReportStatus.IN_PROGRESS
    today = deadline + timedelta(days=late)
    signal = light(today, start=start, deadline=deadline, status=status, percent=percent, rules=r)
    assert signal == Signal(Light.RED, f"已逾期 {late} 天")
