"""Every write of the key-task app (except the import, in `importing.py`): one atomic, validating
function per action.

Each function checks the actor's permission (PermissionDenied), the state (ServiceError with a
Chinese message) and, for editable records, the version the actor saw (StaleEdit).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User as Account
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dudao.core.uploads import content_mismatch
from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Membership, Region
from dudao.orgs.selectors import User, can_manage_county
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.errors import ServiceError, StaleEdit
from dudao.workplan.expectations import snapshot_expectations
from dudao.workplan.lights import task_signals
from dudao.workplan.models import (
    Comment,
    Leader,
    Report,
    ReportFile,
    Round,
    SupervisionNote,
    Task,
    TaskChange,
    TaskLight,
    WorkPlan,
)
from dudao.workplan.selectors import can_manage_plan, is_plan_leader, user_departments

__all__ = [
    "ServiceError",
    "StaleEdit",
    "add_months",
    "comment_add",
    "default_due_on",
    "leader_update",
    "note_add",
    "plan_update",
    "report_file_remove",
    "report_role",
    "report_save",
    "round_close",
    "round_open",
    "task_update",
]

TASK_FIELDS = {
    "text": "重点工作任务",
    "start": "开始日期",
    "deadline": "完成时限",
    "milestones": "节点安排",
    "targets": "目标要求",
    "co_units": "协办单位",
}
# The task's people, edited as sets (model instances of the plan's county).
TASK_PEOPLE = {"leaders": "责任领导", "lead_departments": "责任股室", "co_departments": "协办股室"}


# ---------------------------------------------------------------- rounds


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_due_on(plan: WorkPlan, opened_on: date) -> date:
    """A round's default due date: opened_on + the plan's round length in months, at the latest
    the last day of the plan's year."""
    return min(add_months(opened_on, plan.round_months), date(plan.year, 12, 31))


@transaction.atomic
def round_open(
    user: User, plan: WorkPlan, *, opened_on: date, due_on: date, today: date, title: str = ""
) -> Round:
    """Open the plan's next progress round (调度) on `today`; only one round is open at a time.
    A round may start later in the plan's year (before its start it is 尚未开始 and takes no
    reports) and is due on or after today."""
    _require(can_manage_plan(user, plan), "只有县督导室可以发起调度")
    WorkPlan.objects.select_for_update().get(pk=plan.pk)
    _check_round_dates(plan, opened_on, due_on, today)
    still_open = plan.rounds.filter(status=RoundStatus.OPEN).first()
    if still_open is not None:
        raise ServiceError(f"“{still_open.title}”尚未结束，请先结束后再发起新的调度")
    number = (plan.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    title = title.strip() or f"第{number}次调度"
    return Round.objects.create(
        plan=plan, number=number, title=title, opened_on=opened_on, due_on=due_on, opened_by=user
    )


def _check_round_dates(plan: WorkPlan, opened_on: date, due_on: date, today: date) -> None:
    """A round starts within the plan's year, not before the last round started, and is due on
    or after its start; then it is not yet past due on `today` (it may start in the future)."""
    errors: dict[str, str] = {}
    last = plan.rounds.order_by("-number").first()
    if opened_on < date(plan.year, 1, 1):
        errors["opened_on"] = f"开始日期不能早于计划年度的第一天（{plan.year}-01-01）"
    elif opened_on > date(plan.year, 12, 31):
        errors["opened_on"] = f"开始日期不能晚于计划年度的最后一天（{plan.year}-12-31）"
    elif last is not None and opened_on < last.opened_on:
        errors["opened_on"] = (
            f"开始日期不能早于上一次调度（{last.title}）的开始日期（{last.opened_on:%Y-%m-%d}）"
        )
    if due_on < opened_on:
        errors["due_on"] = f"报送截止日期不能早于开始日期（{opened_on:%Y-%m-%d}）"
    if not errors and due_on < today:
        errors["due_on"] = (
            f"报送截止日期已过（{due_on:%Y-%m-%d}，今天是{today:%Y-%m-%d}），请选择今天或以后的日期"
        )
    if errors:
        raise ServiceError("；".join(errors.values()), errors)


@transaction.atomic
def round_close(user: User, round: Round, *, version: int, now: datetime) -> Round:
    """Close a round: no more reports; every task's light is kept as it stands (TaskLight), and
    so are the departments expected to report on it (RoundExpectation)."""
    _require(can_manage_plan(user, round.plan), "只有县督导室可以结束调度")
    locked = Round.objects.select_for_update().select_related("plan").get(pk=round.pk)
    _check_version(locked.version, version)
    if locked.status != RoundStatus.OPEN:
        raise ServiceError("该调度已结束")
    tasks = list(
        locked.plan.tasks.select_related("plan").prefetch_related(
            "lead_departments", "co_departments"
        )
    )
    signals = task_signals(tasks, today=timezone.localdate(now))
    snapshot_expectations(locked, tasks)
    TaskLight.objects.bulk_create(
        TaskLight(
            round=locked,
            task=task,
            light=str(signals[task.pk].light),
            reason=signals[task.pk].reason[:200],
        )
        for task in tasks
    )
    locked.status = RoundStatus.CLOSED
    locked.closed_at = now
    locked.version += 1
    locked.save(update_fields=["status", "closed_at", "version"])
    return locked


# ---------------------------------------------------------------- reports


def report_role(task: Task, department: Department) -> str | None:
    """ "lead" when the department leads the task, "co" when it helps, else None."""
    if task.lead_departments.filter(pk=department.pk).exists():
        return ReportRole.LEAD
    if task.co_departments.filter(pk=department.pk).exists():
        return ReportRole.CO
    return None


@transaction.atomic
def report_save(
    user: User,
    round: Round,
    task: Task,
    department: Department,
    *,
    status: str,
    percent: int | None,
    done: str = "",
    next_steps: str = "",
    problems: str = "",
    version: int = 0,
    now: datetime,
    files: Sequence[UploadedFile] = (),
) -> Report:
    """Hand in (version 0) or update a department's report on a task in an open round.

    The lead department gives the full report (percentage required); a co-department its part
    (percentage optional). `submitted_at` keeps the first hand-in time, from which `late` follows.
    """
    _require(
        department in user_departments(user, round.plan.county),
        "只能以本科室的身份报送",
    )
    if task.plan_id != round.plan_id:
        raise ServiceError("该任务不属于本次调度的计划")
    role = report_role(task, department)
    _require(role is not None, f"{department}不是该任务的责任股室或协办股室")
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if locked.status != RoundStatus.OPEN:
        raise ServiceError("该调度已结束，不能再报送")
    if locked.not_started(timezone.localdate(now)):
        raise ServiceError(f"{locked.title}{locked.start_note}，不能报送")
    _check_report_fields(role, status, percent)
    report = (
        Report.objects.select_for_update()
        .filter(round=locked, task=task, department=department)
        .first()
    )
    if report is None:
        if version != 0:
            raise StaleEdit()
        report = Report(round=locked, task=task, department=department, submitted_at=now, version=0)
    else:
        _check_version(report.version, version)
    report.role = role
    report.status, report.percent = status, percent
    report.done, report.next_steps = done.strip(), next_steps.strip()
    report.problems = problems.strip()
    report.submitted_by = user
    report.version += 1
    report.save()
    for uploaded in files:
        _attach(report, user, uploaded)
    return report


@transaction.atomic
def report_file_remove(user: User, file: ReportFile) -> None:
    """The reporting department removes an evidence file of its own report while the round is
    open; the removal is kept in the task's history (TaskChange) and the stored file deleted."""
    report = Report.objects.select_related("round__plan__county", "department", "task").get(
        pk=file.report_id
    )
    _require(
        report.department in user_departments(user, report.round.plan.county),
        "只能删除本科室报送的佐证材料",
    )
    locked = Round.objects.select_for_update().get(pk=report.round_id)
    if locked.status != RoundStatus.OPEN:
        raise ServiceError(f"{locked.title}已结束，不能再删除佐证材料“{file.name}”")
    stored, storage = file.file.name, file.file.storage
    file.delete()
    TaskChange.objects.create(
        task=report.task,
        user=user,
        field="佐证材料",
        old=f"{report.department.name}{locked.title}报送的“{file.name}”",
        new="",
    )
    transaction.on_commit(lambda: storage.delete(stored))


def _check_report_fields(role: str | None, status: str, percent: int | None) -> None:
    errors: dict[str, str] = {}
    if status not in ReportStatus.values:
        errors["status"] = "请选择进展状态"
    if percent is None and role == ReportRole.LEAD:
        errors["percent"] = "牵头股室须填写完成进度"
    elif percent is not None and not 0 <= percent <= 100:
        errors["percent"] = "完成进度应在 0 到 100 之间"
    if status == ReportStatus.DONE and percent is not None and percent != 100:
        errors["percent"] = "状态为已完成时，完成进度应为 100"
    if errors:
        raise ServiceError("报送内容有误，请按提示修改", errors)


def _attach(report: Report, user: User, uploaded: UploadedFile) -> ReportFile:
    """An evidence file, with the same type and size limits as the collection app's evidence."""
    allowed = tuple(settings.EVIDENCE_EXTENSIONS)
    name = Path(uploaded.name or "").name
    if Path(name).suffix.lower() not in allowed:
        listed = "、".join(allowed)
        refused = f"“{name}”的类型不支持，支持：{listed}"
        raise ServiceError(refused, {"files": refused})
    limit = settings.EVIDENCE_MAX_BYTES
    if (uploaded.size or 0) > limit:
        size = f"{limit / 1024 / 1024:g} MB"
        raise ServiceError(f"文件过大：每个文件不能超过 {size}", {"files": "文件过大"})
    if not uploaded.size:
        raise ServiceError(f"文件“{name}”是空的", {"files": "文件是空的"})
    mismatch = content_mismatch(uploaded)
    if mismatch:
        raise ServiceError(mismatch, {"files": "内容与扩展名不符"})
    return ReportFile.objects.create(
        report=report, file=uploaded, name=name[:200], size=uploaded.size, uploaded_by=user
    )


# ---------------------------------------------------------------- supervision


@transaction.atomic
def note_add(
    user: User, task: Task, *, text: str, critical: bool = False, round: Round | None = None
) -> SupervisionNote:
    """A supervision note (督办意见) of the county office on a task."""
    _require(can_manage_plan(user, task.plan), "只有县督导室可以填写督办意见")
    text = text.strip()
    if not text:
        raise ServiceError("请填写督办意见", {"text": "必填"})
    if round is not None and round.plan_id != task.plan_id:
        raise ServiceError("调度不属于该任务的计划")
    return SupervisionNote.objects.create(
        task=task, round=round, author=user, text=text, critical=critical
    )


@transaction.atomic
def comment_add(user: User, task: Task, *, text: str, report: Report | None = None) -> Comment:
    """A leader's comment (批示) on a task, or on one of its reports."""
    _require(is_plan_leader(user, task.plan), "只有局领导可以批示")
    text = text.strip()
    if not text:
        raise ServiceError("请填写批示内容", {"text": "必填"})
    if report is not None and report.task_id != task.pk:
        raise ServiceError("该报送不属于这项任务")
    return Comment.objects.create(task=task, report=report, author=user, text=text)


@transaction.atomic
def task_update(user: User, task: Task, *, version: int, **values: object) -> Task:
    """The office edits a task's text, dates, milestones, targets, co-units, leaders and
    departments; each changed field is recorded in TaskChange."""
    _require(can_manage_plan(user, task.plan), "只有县督导室可以修改任务")
    unknown = set(values) - set(TASK_FIELDS) - set(TASK_PEOPLE)
    if unknown:
        raise ServiceError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    locked = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _check_version(locked.version, version)
    people = {k: list(values.pop(k)) for k in list(values) if k in TASK_PEOPLE}
    _check_people(locked, people)
    if "text" in values and not str(values["text"] or "").strip():
        raise ServiceError("任务内容不能为空", {"text": "必填"})
    start = values.get("start", locked.start)
    deadline = values.get("deadline", locked.deadline)
    if isinstance(start, date) and isinstance(deadline, date) and deadline < start:
        raise ServiceError("完成时限不能早于开始日期", {"deadline": "不能早于开始日期"})
    changed = []
    for field, given in values.items():
        value = given.strip() if isinstance(given, str) else given
        old = getattr(locked, field)
        if old == value:
            continue
        changed.append(field)
        setattr(locked, field, value)
        TaskChange.objects.create(
            task=locked, user=user, field=TASK_FIELDS[field], old=_shown(old), new=_shown(value)
        )
    moved = [field for field, chosen in people.items() if _set_people(locked, user, field, chosen)]
    if changed or moved:
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
    return locked


def _check_people(task: Task, people: dict[str, list[Any]]) -> None:
    county = task.plan.county_id
    if any(getattr(x, "county_id", None) != county for chosen in people.values() for x in chosen):
        raise ServiceError("责任领导和股室必须是本县的")
    if "lead_departments" in people and not people["lead_departments"]:
        raise ServiceError("每项任务至少要有一个责任股室", {"lead_departments": "必填"})


def _set_people(task: Task, user: User, field: str, chosen: list[Any]) -> bool:
    """Replace one of the task's people sets; record old → new names when it changed."""
    manager = getattr(task, field)
    old = list(manager.all())
    if {x.pk for x in old} == {x.pk for x in chosen}:
        return False
    manager.set(chosen)
    names = ("、".join(sorted(x.name for x in group)) for group in (old, chosen))
    TaskChange.objects.create(
        task=task, user=user, field=TASK_PEOPLE[field], old=next(names), new=next(names)
    )
    return True


# ---------------------------------------------------------------- plan settings

PLAN_LIMITS = {"round_months": (1, 12), "warning_days": (0, 90), "behind_margin": (0, 100)}


@transaction.atomic
def plan_update(
    user: User,
    plan: WorkPlan,
    *,
    version: int,
    title: str,
    number: str,
    issued_on: date | None,
    round_months: int,
    warning_days: int,
    behind_margin: int,
) -> WorkPlan:
    """The office edits the plan's title, number, date and supervision settings."""
    _require(can_manage_plan(user, plan), "只有县督导室可以修改计划设置")
    locked = WorkPlan.objects.select_for_update().select_related("county").get(pk=plan.pk)
    _check_version(locked.version, version)
    numbers = {
        "round_months": round_months,
        "warning_days": warning_days,
        "behind_margin": behind_margin,
    }
    errors = {
        key: f"应在 {low} 到 {high} 之间"
        for key, (low, high) in PLAN_LIMITS.items()
        if not low <= numbers[key] <= high
    }
    if not title.strip():
        errors["title"] = "必填"
    if errors:
        raise ServiceError("计划设置有误，请按提示修改", errors)
    locked.title, locked.number, locked.issued_on = title.strip(), number.strip(), issued_on
    locked.round_months, locked.warning_days = round_months, warning_days
    locked.behind_margin = behind_margin
    locked.version += 1
    locked.save()
    return locked


def leader_accounts(county: Region) -> list[Account]:
    """Accounts with the leader role (局领导) in the county: what a Leader may be linked to."""
    ids = Membership.objects.filter(role=Role.LEADER, region=county).values("user_id")
    return list(Account.objects.filter(pk__in=ids).order_by("username"))


@transaction.atomic
def leader_update(user: User, leader: Leader, *, account: Account | None, is_body: bool) -> Leader:
    """Link a responsible leader to a leader account of the county (or unlink), or mark it as a
    body (局长办公会成员). A body is never linked to one account."""
    _require(can_manage_county(user, leader.county), "只有县督导室可以设置责任领导")
    if account is not None and account not in leader_accounts(leader.county):
        raise ServiceError("只能关联本县局领导的账号", {"account": "不是本县局领导"})
    if account is not None and is_body:
        raise ServiceError(
            "集体（如局长办公会成员）不能关联到某一个账号", {"account": "集体不关联"}
        )
    leader.user, leader.is_body = account, is_body
    leader.save(update_fields=["user", "is_body"])
    return leader


# ---------------------------------------------------------------- helpers


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_version(current: int, seen: int) -> None:
    if current != seen:
        raise StaleEdit()
