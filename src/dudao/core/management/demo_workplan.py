"""Demo key-task plan (重点工作督办) and the sample decomposition table for newcomers.

`seed_workplan` builds a realistic plan for the demo county: six categories, 24 tasks with leaders
and departments, one closed round with reports (lights kept) and one open round, so that lights
of all three colours show. `sample_table_xlsx` writes the small sample table offered on the
import page (merged category cells, a leader name typed with a space, a body as leader).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import openpyxl
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl.styles import Alignment, Font

from dudao.engine.workplan.targets import extract_targets
from dudao.orgs.models import Department, Region
from dudao.workplan.choices import ReportRole, ReportStatus, RoundStatus
from dudao.workplan.expectations import snapshot_expectations
from dudao.workplan.lights import task_signals
from dudao.workplan.models import Category, Leader, Report, Round, Task, TaskLight, WorkPlan

CATEGORIES = ("抓常规", "强队伍", "优布局", "调结构", "改评价", "重督导")
BODY = "局长办公会成员"
# (category, text, leaders, lead departments, co-departments/units, deadline month or None)
TASKS: tuple[tuple[str, str, str, str, str, int | None], ...] = (
    (
        "抓常规",
        "严格落实课程方案，开齐开足国家规定课程，规范作息时间和作业管理",
        "王局长",
        "教育股",
        "督导室",
        6,
    ),
    (
        "抓常规",
        "开展教学常规月查月报，每学期组织一次教学常规专项视导",
        "王局长",
        "教育股",
        "",
        None,
    ),
    ("抓常规", "落实“双减”要求，课后服务覆盖率达到100%", "王局长", "教育股", "计划财务股", 9),
    (
        "抓常规",
        "确保校园安防达到三个100%，每月开展一次安全隐患排查",
        "李副局长",
        "安全股",
        "各中小学",
        3,
    ),
    ("抓常规", "做好秋季学期招生入学工作，适龄儿童入学率保持100%", "王局长", "教育股", "", 9),
    (
        "强队伍",
        "推进县管校聘改革，乡镇学校内部每年交流教师10%—15%",
        "张副局长",
        "人事股",
        "教育股",
        8,
    ),
    ("强队伍", "实施青年教师成长计划，新入职教师全员参加岗前培训", "张副局长", "人事股", "", 10),
    (
        "强队伍",
        "评选县级骨干教师和学科带头人，建立名师工作室6个",
        "张副局长",
        "人事股",
        "教育股",
        11,
    ),
    (
        "强队伍",
        "加强师德师风建设，开展师德专题教育和违规补课专项治理",
        BODY,
        "人事股",
        "督导室",
        None,
    ),
    ("优布局", "完成城区第二小学新建项目主体工程", "李副局长", "计划财务股", "办公室", 8),
    ("优布局", "改造乡村小规模学校和寄宿制学校12所", "李副局长", "计划财务股", "安全股", 10),
    (
        "优布局",
        "编制2026—2030年中小学幼儿园布局规划并报县政府审定",
        BODY,
        "办公室",
        "计划财务股",
        6,
    ),
    ("优布局", "新增公办幼儿园学位600个", "李副局长", "计划财务股", "教育股", 12),
    ("调结构", "推进普职协调发展，中职学校招生规模保持稳定", "王局长", "教育股", "", 9),
    ("调结构", "普惠性幼儿园覆盖率达到85%以上", "王局长", "教育股", "计划财务股", None),
    ("调结构", "推进集团化办学，组建城乡教育共同体4个", "张副局长", "教育股", "人事股", 7),
    ("改评价", "落实义务教育质量评价指南，开展学校办学质量评价", "王局长", "督导室", "教育股", 12),
    ("改评价", "改进教师考核评价，完善绩效工资分配办法", "张副局长", "人事股", "计划财务股", 6),
    ("改评价", "开展学生综合素质评价试点", "王局长", "教育股", "", 11),
    ("重督导", "开展责任督学挂牌督导，每月到校督导不少于1次", "李副局长", "督导室", "", None),
    (
        "重督导",
        "迎接县域义务教育优质均衡发展国家督导评估",
        BODY,
        "督导室",
        "教育股、计划财务股",
        10,
    ),
    ("重督导", "开展学前教育普及普惠县创建自评", "李副局长", "督导室", "教育股", 9),
    ("重督导", "对重点工作推进情况每两个月调度一次并通报", "王局长", "办公室", "督导室", None),
    ("重督导", "完成对乡镇人民政府履行教育职责的督导评价", "李副局长", "督导室", "办公室", 11),
)


# ---------------------------------------------------------------- the sample table


def sample_table_xlsx() -> bytes:
    """A small decomposition table as counties write it: a title row, merged category cells,
    a leader typed with a space ("张 华"), a body as leader, several departments in one cell,
    deadlines written in the usual ways (完成时限: "年底", "每月", "12月31日前", "常态化"), all
    due at the year end so that the sample imported in any year shows the lights of that year."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "重点工作分解表"
    sheet.append(["全县教育重点工作任务分解表"])  # no year: the year is chosen on import
    sheet.merge_cells("A1:G1")
    sheet.append(
        ["类别", "序号", "重点工作任务", "责任领导", "责任股室", "协办股室（单位）", "完成时限"]
    )
    rows = [
        ("抓常规", "1", TASKS[0][1], "王局长", "教育股", "督导室", "年底"),
        ("", "2", TASKS[3][1], "李副局长", "安全股", "各中小学", "每月"),
        ("", "3", TASKS[2][1], "王局长", "教育股", "计划财务股", "12月31日前"),
        ("强队伍", "1", TASKS[5][1], "张 华", "人事股", "教育股", "每学期"),
        ("", "2", TASKS[8][1], BODY, "人事股", "督导室", "常态化"),
        ("优布局", "1", TASKS[10][1], "李副局长", "计划财务股", "安全股、办公室", "全年"),
        ("", "2", TASKS[11][1], BODY, "办公室", "", "12月底"),
    ]
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("A6:A7")
    sheet.merge_cells("A8:A9")
    for col, width in zip("ABCDEFG", (10, 6, 60, 14, 14, 20, 12), strict=True):
        sheet.column_dimensions[col].width = width
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["A"]:
        cell.alignment = Alignment(vertical="center")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the demo plan


def seed_workplan(
    county: Region, departments: dict[str, Department], users: dict[str, User], today: date
) -> str:
    """A demo plan of `today`'s year for `county` with a closed and an open round."""
    year = today.year
    plan = WorkPlan.objects.create(
        county=county,
        year=year,
        title=f"{year}年全县教育重点工作任务",
        number=f"示教体发〔{year}〕2号",
        issued_on=date(year, 1, 1),
        created_by=users.get("demo_supervisor"),
    )
    leaders = _leaders(county, users)
    tasks = _tasks(plan, leaders, departments, year)
    closed, open_round = _rounds(plan, today, users.get("demo_supervisor"))
    author = users.get("demo_department") or next(iter(users.values()))
    _reports(closed, tasks, author, late_every=7)
    _close(closed, tasks)
    _reports(open_round, tasks[::3], author, late_every=0)
    return (
        f"已创建{year}年重点工作计划（{len(tasks)} 项任务，{len(CATEGORIES)} 个类别），"
        f"{closed.title}已结束，{open_round.title}进行中"
    )


def _leaders(county: Region, users: dict[str, User]) -> dict[str, Leader]:
    names = {t[2] for t in TASKS}
    found = {
        name: Leader.objects.create(county=county, name=name, is_body=name == BODY)
        for name in sorted(names)
    }
    found["王局长"].user = users.get("demo_leader")
    found["王局长"].save(update_fields=["user"])
    return found


def _tasks(
    plan: WorkPlan, leaders: dict[str, Leader], departments: dict[str, Department], year: int
) -> list[Task]:
    categories = {
        name: Category.objects.create(plan=plan, name=name, order=i)
        for i, name in enumerate(CATEGORIES, start=1)
    }
    numbers: dict[str, int] = {}
    created = []
    for order, (category, text, leader, lead, co, month) in enumerate(TASKS, start=1):
        numbers[category] = numbers.get(category, 0) + 1
        co_names = [n for n in co.split("、") if n]
        task = Task.objects.create(
            plan=plan,
            category=categories[category],
            number=str(numbers[category]),
            order=order,
            text=text,
            deadline=_month_end(year, month) if month else None,
            targets="；".join(extract_targets(text)),
            co_units="、".join(n for n in co_names if n not in departments),
        )
        task.leaders.add(leaders[leader])
        task.lead_departments.add(departments[lead])
        task.co_departments.add(*[departments[n] for n in co_names if n in departments])
        created.append(task)
    return created


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _rounds(plan: WorkPlan, today: date, opener: User | None) -> tuple[Round, Round]:
    start = today - timedelta(days=75)
    closed = Round.objects.create(
        plan=plan,
        number=1,
        title="第1次调度",
        opened_on=start,
        due_on=start + timedelta(days=30),
        opened_by=opener,
    )
    open_round = Round.objects.create(
        plan=plan,
        number=2,
        title="第2次调度",
        opened_on=today - timedelta(days=10),
        due_on=today + timedelta(days=5),
        opened_by=opener,
    )
    return closed, open_round


# Reports cycle through these: lights of all colours appear.
_PATTERN = (
    (ReportStatus.IN_PROGRESS, 60),
    (ReportStatus.DONE, 100),
    (ReportStatus.IN_PROGRESS, 40),
    (ReportStatus.LAGGING, 10),
    (ReportStatus.IN_PROGRESS, 80),
    (ReportStatus.BLOCKED, 20),
    (ReportStatus.NOT_STARTED, 0),
)


def _reports(round: Round, tasks: list[Task], author: User, *, late_every: int) -> None:
    for i, task in enumerate(tasks):
        status, percent = _PATTERN[i % len(_PATTERN)]
        late = late_every and i % late_every == late_every - 1
        day = round.due_on + timedelta(days=2) if late else round.opened_on + timedelta(days=3)
        at = timezone.make_aware(datetime.combine(day, time(10)))
        Report.objects.create(
            round=round,
            task=task,
            department=task.lead_departments.first(),
            role=ReportRole.LEAD,
            status=status,
            percent=percent,
            done="已召开专题会议部署，制定工作方案并分解到校。",
            next_steps="按节点推进，下次调度前完成阶段目标。",
            problems="经费尚未全部到位，需计划财务股协调。"
            if status == ReportStatus.BLOCKED
            else "",
            submitted_at=at,
            submitted_by=author,
        )


def _close(round: Round, tasks: list[Task]) -> None:
    signals = task_signals(tasks, today=round.due_on)
    snapshot_expectations(round, tasks)
    TaskLight.objects.bulk_create(
        TaskLight(round=round, task=t, light=str(signals[t.pk].light), reason=signals[t.pk].reason)
        for t in tasks
    )
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.make_aware(datetime.combine(round.due_on, time(18)))
    round.save(update_fields=["status", "closed_at"])
