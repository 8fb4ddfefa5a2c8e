"""Key-task supervision (重点工作督办): the task table, traffic lights, scores, the ladder."""

from __future__ import annotations

from dudao.engine.workplan.ladder import (
    ACTION_LABELS,
    ActionKind,
    Suggestion,
    TaskHistory,
    suggest_actions,
)
from dudao.engine.workplan.lights import (
    LIGHT_LABELS,
    STATUS_LABELS,
    Light,
    LightRules,
    ReportStatus,
    Signal,
    traffic_light,
)
from dudao.engine.workplan.scores import (
    PART_LABELS,
    DepartmentFacts,
    DepartmentScore,
    ScoreWeights,
    department_scores,
)
from dudao.engine.workplan.tasktable import (
    ParsedPlan,
    ParsedTask,
    Problem,
    parse_task_table,
    plan_to_dict,
    split_names,
)

__all__ = [
    "ACTION_LABELS",
    "LIGHT_LABELS",
    "PART_LABELS",
    "STATUS_LABELS",
    "ActionKind",
    "DepartmentFacts",
    "DepartmentScore",
    "Light",
    "LightRules",
    "ParsedPlan",
    "ParsedTask",
    "Problem",
    "ReportStatus",
    "ScoreWeights",
    "Signal",
    "Suggestion",
    "TaskHistory",
    "department_scores",
    "parse_task_table",
    "plan_to_dict",
    "split_names",
    "suggest_actions",
    "traffic_light",
]
