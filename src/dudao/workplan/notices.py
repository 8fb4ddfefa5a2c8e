"""The scheduling notice (调度通报) of a progress round: its facts, and the DOCX.

`notice_facts` gathers what the notice says — counts per status and per light, the on-time
reporting rate, the lagging (red/yellow) tasks by lead department, the departments praised and
criticised with their reasons — and both the web page and `notice_docx` print those facts, so the
two never disagree.

Lights are the TaskLight snapshots when the round is closed, otherwise today's lights
(`lights.task_signals`, the very lights of the plan page). Reports counted are the reports of the
departments the round expected to lead each task (`expectations.round_departments`: the snapshot
kept at closing, or the current lead departments of an open round); a missing report counts
against a department once the round is closed or its due date has passed.

A task's status in the notice (status table, summary, lagging tables) is that of the worst lead
report of this round, and 未报送 as soon as one expected lead department has not reported: so the
status table shows 未报送 whenever the summary counts a missing report. In an open round the
lagging tables say 本次未报送 for such a task, its light staying the plan page's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dudao.core.officialdoc import OfficialDocument
from dudao.engine.workplan import LIGHT_LABELS, STATUS_LABELS, Light, Signal
from dudao.orgs.models import Department
from dudao.workplan.choices import ReportRole, RoundStatus
from dudao.workplan.expectations import round_departments, round_tasks
from dudao.workplan.lights import task_signals, worst_lead_report
from dudao.workplan.models import Report, Round, Task, TaskLight

ADDRESSEE = "局机关各股室、局属各单位："
NO_DEPARTMENT = "未明确责任股室"
NOT_REPORTED = "未报送"
LAGGING_HEADERS = ("序号", "任务", "责任股室", "进度", "状态", "信号灯原因")
NEXT_STEPS = (
    "（一）压实工作责任。各责任股室要对照本通报，逐项分析滞后任务的原因，明确整改措施和完成时限，"
    "在下次调度时一并报送整改情况。",
    "（二）按时报送进展。各股室要在调度截止日期前如实报送任务进展，完成进度据实填写，"
    "需协调解决的问题及时提出。",
    "（三）加强跟踪督办。督导室将对滞后任务持续跟踪，对连续滞后、推进不力的任务，"
    "按规定提请采取通报批评、约谈等措施。",
)


@dataclass(frozen=True)
class LaggingTask:
    """One red or yellow task as the notice lists it."""

    pk: int
    number: str
    text: str
    category: str
    departments: str  # every lead department, joined with 、
    progress: str  # "60%" or "未报送"
    status: str  # Chinese status label, or "未报送"
    light: str  # Light value
    reason: str

    @property
    def name(self) -> str:
        """Category, number and full text: 抓常规第1项：规范办学行为."""
        return f"{self.category}第{self.number}项：{self.text}"

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.light]


@dataclass(frozen=True)
class Verdict:
    """A department praised or criticised, with why."""

    department: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NoticeFacts:
    """Everything the notice of one round says."""

    title: str
    issuer: str
    number: str
    closed: bool
    as_of: date  # the due date of a closed round, else today
    tasks_total: int
    status_counts: tuple[tuple[str, int], ...]  # (Chinese label, count), "未报送" last
    light_counts: tuple[tuple[str, str, int], ...]  # (light, Chinese label, count)
    reports_due: int
    reports_on_time: int
    reports_late: int
    reports_missing: int
    lagging: tuple[tuple[str, tuple[LaggingTask, ...]], ...]  # (department name, tasks)
    praised: tuple[Verdict, ...]
    criticised: tuple[Verdict, ...]
    summary: tuple[str, ...] = field(default=())  # the sentences of 一、总体情况

    @property
    def on_time_rate(self) -> float | None:
        """Reports handed in by the due date ÷ reports due, in percent (None: nothing due)."""
        if not self.reports_due:
            return None
        return round(100 * self.reports_on_time / self.reports_due, 1)

    @property
    def lagging_count(self) -> int:
        return len({t.pk for _, tasks in self.lagging for t in tasks})


# ---------------------------------------------------------------- facts


def notice_title(round: Round) -> str:
    return f"关于{round.plan.year}年重点工作第{round.number}次调度情况的通报"


def notice_issuer(round: Round) -> str:
    return round.plan.county.bureau


def _round_lights(round: Round, tasks: Sequence[Task], *, today: date) -> dict[int, Signal]:
    """Task pk → light: the snapshot of a closed round (today's light for a task without one);
    in an open round today's light, the same as the plan page's (`task_signals`)."""
    lights: dict[int, Signal] = {}
    if round.status == RoundStatus.CLOSED:
        for row in TaskLight.objects.filter(round=round):
            lights[row.task_id] = Signal(Light(row.light), row.reason)
    missing = [t for t in tasks if t.pk not in lights]
    if missing:
        lights.update(task_signals(missing, today=today))
    return lights


UNREPORTED = "本次未报送"


def _lead_reports(round: Round) -> dict[tuple[int, int], Report]:
    """(task pk, department pk) → the lead report of this round."""
    reports = Report.objects.filter(round=round, role=ReportRole.LEAD).select_related("round")
    return {(r.task_id, r.department_id): r for r in reports}


Leads = dict[int, list[Department]]  # task pk → lead departments the round expected


def _task_report(task: Task, reports: dict[tuple[int, int], Report], leads: Leads) -> Report | None:
    """The task's lead report shown in the notice: None (未报送) when an expected lead
    department has not reported, else the worst of their reports (`worst_lead_report`)."""
    pks = [d.pk for d in leads[task.pk]]
    found = {pk: reports[(task.pk, pk)] for pk in pks if (task.pk, pk) in reports}
    if len(found) < len(pks):
        return None
    return worst_lead_report(found, pks)


@dataclass
class _Tally:
    """Reports due, on time, late and missing, and the faults found per department."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    faults: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    clean: dict[int, bool] = field(default_factory=dict)  # every report in and on time


def _tally(
    tasks: Sequence[Task],
    reports: dict[tuple[int, int], Report],
    lights: dict[int, Signal],
    leads: Leads,
    *,
    overdue: bool,
) -> _Tally:
    """Count the expected lead reports; each department's faults name a task once, with all
    its reasons: 调结构第1项“…”（逾期报送；红灯：…）."""
    tally = _Tally()
    for task in tasks:
        light = lights.get(task.pk)
        for department in leads[task.pk]:
            tally.clean.setdefault(department.pk, True)
            tally.due += 1
            report = reports.get((task.pk, department.pk))
            reasons = []
            if report is None:
                tally.missing += 1
                tally.clean[department.pk] = False
                if overdue:
                    reasons.append("未报送")
            elif report.late:
                tally.late += 1
                tally.clean[department.pk] = False
                reasons.append("逾期报送")
            else:
                tally.on_time += 1
            if light is not None and light.light == Light.RED:
                reasons.append(f"红灯：{light.reason}")
            if reasons:
                tally.faults[department.pk].append(f"{task.full_label}（{'；'.join(reasons)}）")
    return tally


def _verdicts(
    departments: dict[int, Department], tally: _Tally
) -> tuple[tuple[Verdict, ...], tuple[Verdict, ...]]:
    praised, criticised = [], []
    for pk, department in sorted(departments.items(), key=lambda kv: kv[1].name):
        faults = tally.faults.get(pk, [])
        if faults:
            criticised.append(Verdict(department.name, tuple(faults)))
        elif tally.clean.get(pk):
            praised.append(Verdict(department.name, ("按时报送全部任务进展，无红灯任务",)))
    return tuple(praised), tuple(criticised)


def _lagging(
    tasks: Sequence[Task],
    reports: dict[tuple[int, int], Report],
    lights: dict[int, Signal],
    leads: Leads,
    *,
    closed: bool,
) -> tuple[tuple[str, tuple[LaggingTask, ...]], ...]:
    groups: dict[str, list[LaggingTask]] = defaultdict(list)
    unreported = NOT_REPORTED if closed else UNREPORTED
    for task in tasks:
        signal = lights.get(task.pk)
        if signal is None or signal.light == Light.GREEN:
            continue
        report = _task_report(task, reports, leads)
        names = [d.name for d in leads[task.pk]]
        row = LaggingTask(
            pk=task.pk,
            number=task.number,
            text=task.text,
            category=task.category.name,
            departments="、".join(names) or NO_DEPARTMENT,
            progress=_progress(report),
            status=STATUS_LABELS[report.status] if report else unreported,
            light=str(signal.light),
            reason=signal.reason,
        )
        for name in names or [NO_DEPARTMENT]:
            groups[name].append(row)
    return tuple((name, tuple(rows)) for name, rows in sorted(groups.items()))


def _progress(report: Report | None) -> str:
    if report is None:
        return NOT_REPORTED
    return "—" if report.percent is None else f"{report.percent}%"


def _counts(
    tasks: Sequence[Task],
    reports: dict[tuple[int, int], Report],
    lights: dict[int, Signal],
    leads: Leads,
    done: set[int],
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str, int], ...]]:
    """Tasks per status (a task completed in an earlier round counts as 已完成) and per light."""
    statuses = dict.fromkeys([*STATUS_LABELS.values(), NOT_REPORTED], 0)
    colours = dict.fromkeys([str(light) for light in Light], 0)
    for task in tasks:
        report = _task_report(task, reports, leads)
        if task.pk in done:
            statuses["已完成"] += 1
        else:
            statuses[STATUS_LABELS[report.status] if report else NOT_REPORTED] += 1
        if task.pk in lights:
            colours[str(lights[task.pk].light)] += 1
    return (
        tuple(statuses.items()),
        tuple((light, LIGHT_LABELS[light], n) for light, n in colours.items()),
    )


def _round_tasks(round: Round) -> list[Task]:
    """The tasks of the notice (`expectations.round_tasks`)."""
    tasks = round_tasks(round, Task.objects.filter(plan=round.plan_id))
    return list(
        tasks.select_related("plan", "category").prefetch_related(
            "lead_departments", "co_departments"
        )
    )


def notice_facts(round: Round, *, today: date) -> NoticeFacts:
    """The facts of the round's notice (see the module docstring)."""
    tasks = _round_tasks(round)
    closed = round.status == RoundStatus.CLOSED
    expected = round_departments(round, tasks)
    leads = {pk: e.lead for pk, e in expected.items()}
    done = {pk for pk, e in expected.items() if e.completed}
    reports = _lead_reports(round)
    lights = _round_lights(round, tasks, today=today)
    tally = _tally(tasks, reports, lights, leads, overdue=closed or today > round.due_on)
    departments = {d.pk: d for t in tasks for d in leads[t.pk]}
    praised, criticised = _verdicts(departments, tally)
    statuses, colours = _counts(tasks, reports, lights, leads, done)
    facts = NoticeFacts(
        title=notice_title(round),
        issuer=notice_issuer(round),
        number=round.notice_number,
        closed=closed,
        as_of=round.due_on if closed else today,
        tasks_total=len(tasks),
        status_counts=statuses,
        light_counts=colours,
        reports_due=tally.due,
        reports_on_time=tally.on_time,
        reports_late=tally.late,
        reports_missing=tally.missing,
        lagging=_lagging(tasks, reports, lights, leads, closed=closed),
        praised=praised,
        criticised=criticised,
    )
    return _with_summary(facts, round)


def _chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _with_summary(facts: NoticeFacts, round: Round) -> NoticeFacts:
    statuses = "、".join(f"{label}{n}项" for label, n in facts.status_counts if n)
    colours = "、".join(f"{label}{n}项" for _, label, n in facts.light_counts)
    rate = "—" if facts.on_time_rate is None else f"{facts.on_time_rate:g}%"
    unreported_tasks = dict(facts.status_counts)[NOT_REPORTED]
    tasks_missing = (
        f"（涉及任务{unreported_tasks}项）" if unreported_tasks != facts.reports_missing else ""
    )
    sentences = (
        f"{round.title}（报送截止{_chinese_day(round.due_on)}）共调度重点工作任务"
        f"{facts.tasks_total}项，其中{statuses or '暂无报送'}。",
        f"按信号灯统计：{colours}。",
        f"牵头股室应报送进展{facts.reports_due}份（每项任务每个牵头股室一份，协办股室报送不计入），"
        f"按时报送{facts.reports_on_time}份，"
        f"逾期报送{facts.reports_late}份，未报送{facts.reports_missing}份{tasks_missing}，"
        f"按时报送率{rate}。",
    )
    return NoticeFacts(**{**facts.__dict__, "summary": sentences})


# ---------------------------------------------------------------- the DOCX


def open_note(facts: NoticeFacts) -> str:
    """The note of an open round's notice (page and DOCX say the same)."""
    return f"本次调度尚未结束，信号灯按今天（{_chinese_day(facts.as_of)}）计算。"


def _lagging_rows(tasks: Sequence[LaggingTask]) -> list[list[object]]:
    return [
        [
            i,
            t.name,
            t.departments,
            t.progress,
            t.status,
            f"{t.light_label}：{t.reason}",
        ]
        for i, t in enumerate(tasks, start=1)
    ]


def _verdict_text(verdicts: Sequence[Verdict]) -> str:
    return "；".join(f"{v.department}（{'，'.join(v.reasons)}）" for v in verdicts)


def notice_docx(round: Round, *, today: date) -> bytes:
    """The notice as an official document (DOCX bytes)."""
    facts = notice_facts(round, today=today)
    doc = OfficialDocument(facts.title, issuer=facts.issuer, number=facts.number)
    doc.addressee(ADDRESSEE)
    doc.paragraph(
        f"根据{round.plan.year}年重点工作任务分解安排，现将第{round.number}次调度情况通报如下。"
    )
    if not facts.closed:
        doc.paragraph(open_note(facts))
    doc.heading("一、总体情况")
    for sentence in facts.summary:
        doc.paragraph(sentence)
    doc.heading("二、滞后任务")
    if not facts.lagging:
        doc.paragraph("本次调度无亮红灯、黄灯的滞后任务。")
    for name, tasks in facts.lagging:
        doc.table(LAGGING_HEADERS, _lagging_rows(tasks), caption=name)
    doc.heading("三、表扬与批评")
    if facts.praised:
        doc.paragraph(f"以下股室按时报送、无红灯任务，予以表扬：{_verdict_text(facts.praised)}。")
    else:
        doc.paragraph("本次调度无予以表扬的股室。")
    if facts.criticised:
        doc.paragraph(
            f"以下股室报送不及时或有红灯任务，予以批评：{_verdict_text(facts.criticised)}。"
        )
    else:
        doc.paragraph("本次调度无予以批评的股室。")
    doc.heading("四、下一步要求")
    for text in NEXT_STEPS:
        doc.paragraph(text)
    doc.closing(facts.issuer, today)
    return doc.to_bytes()


def notice_filename(round: Round) -> str:
    return f"{round.plan.year}年重点工作第{round.number}次调度通报.docx"
