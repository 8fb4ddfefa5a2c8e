"""The demo's inspection work: an inspector pool, assignments, a checklist, a published random
draw with its plan, a recorded visit whose findings are rectification items, this month's
责任督学随访 plan and an upcoming unannounced plan. Called by `load_demo` for the first demo county.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dudao.inspection import checklist as rubric
from dudao.inspection import draws, schedule, services, visits
from dudao.inspection.choices import InspectorKind, PlanKind
from dudao.inspection.models import (
    Assignment,
    ChecklistTemplate,
    InspectionPlan,
    Inspector,
    RandomDraw,
    Visit,
)
from dudao.orgs.choices import Role
from dudao.orgs.models import Institution, Membership, Region

NAMES = ("孙督学", "钱建国", "赵丽华", "周明", "吴晓燕", "郑伟", "王芳", "冯志强")
FINDINGS = (  # problem, measures, responsible person (责任人)
    ("食堂食品留样记录不完整，缺少 3 天记录", "建立留样登记专人负责制，补齐台账", "后勤主任"),
    ("消防通道堆放体育器材", "立即清理，设置禁止堆放标识", "安全办主任"),
    ("课后服务收费公示不规范", "按规定在校门口和家长群公示收费项目和标准", "教务主任"),
)


def seed_inspection(
    county: Region, institutions: list[Institution], users: dict[str, User], today: date
) -> str:
    """Seed the county's inspection work; returns a one-line Chinese summary."""
    office = users["demo_supervisor"]
    pool = _pool(county, institutions, users, office)
    for n, school in enumerate(institutions):
        services.assignment_set(office, school, pool[n % len(pool)])
    school = _clerk_school(users, institutions)
    services.assignment_set(office, school, pool[0])  # the demo inspector is the demo school's
    services.conflict_add(office, pool[3], institutions[1], "配偶在该校任教")
    template = services.checklist_save(
        office, county, "学校常规督导检查表", rubric.DEFAULT_LINES, rubric.DEFAULT_PASS_MARK
    )
    wanted = draws.DrawRequest(title=f"{today.year}年秋季学期", count=4, per_school=2)
    prepared = draws.draw_prepare(office, county, wanted)
    # the seed digest was published the day before the draw, as the office would do
    RandomDraw.objects.filter(pk=prepared.pk).update(
        prepared_at=prepared.prepared_at - timedelta(days=1)
    )
    made = draws.draw_run(office, prepared)
    draws.draw_publish(office, made)
    draws.plan_from_draw(office, made, scheduled=today + timedelta(days=14), checklist=template)
    visit = _visit(county, school, template=template, office=office, users=users, today=today)
    _unannounced(county, institutions, pool[0], template=template, office=office, today=today)
    monthly = schedule.visit_schedule(office, county, month=today)
    return (
        f"督查：{len(pool)} 名督学，{len(institutions)} 所学校已挂牌责任督学，"
        f"1 次已公示的双随机抽签（{made.count} 所学校），"
        f"{school.name}有 1 条检查记录（{visit.findings.count()} 个问题已转为整改事项），"
        f"{monthly.title}（{monthly.targets.count()} 所学校），1 个待进行的暗访计划"
    )


def _pool(
    county: Region, institutions: list[Institution], users: dict[str, User], office: User
) -> list[Inspector]:
    account = users.get("demo_inspector")
    linked = (
        account
        if account is not None
        and Membership.objects.filter(user=account, role=Role.INSPECTOR, region=county).exists()
        else None
    )
    pool = []
    for n, name in enumerate(NAMES, start=1):
        full_time = n <= 3
        data = services.InspectorData(
            code=f"DX{n:03d}",
            name=name,
            kind=InspectorKind.FULL_TIME if full_time else InspectorKind.PART_TIME,
            phone=f"1390000{n:04d}",
            institution=None if full_time else institutions[(n * 5) % len(institutions)],
            user=linked if n == 1 else None,
        )
        pool.append(services.inspector_save(office, county, data))
    return pool


def _clerk_school(users: dict[str, User], institutions: list[Institution]) -> Institution:
    clerk = users.get("demo_clerk")
    found = Membership.objects.filter(user=clerk, institution__in=institutions).first()
    return found.institution if found and found.institution else institutions[0]


def _visit(
    county: Region,
    school: Institution,
    *,
    template: ChecklistTemplate,
    office: User,
    users: dict[str, User],
    today: date,
) -> Visit:
    """The monthly visit (随访) of the school by its assigned inspector (责任督学)."""
    inspector = Assignment.objects.select_related("inspector").get(institution=school).inspector
    plan = visits.plan_create(
        office,
        county,
        visits.PlanData(title="责任督学月度随访", kind=PlanKind.VISIT, checklist=template),
    )
    visited = today - timedelta(days=7)
    # the plan was made before the visit (a visit dated before its plan's creation is refused)
    planned_at = timezone.make_aware(datetime.combine(visited - timedelta(days=7), time(9)))
    InspectionPlan.objects.filter(pk=plan.pk).update(created_at=planned_at)
    plan.created_at = planned_at
    target = visits.target_add(office, plan, school, [inspector], visited)
    items = rubric.items_of(template.structure)
    choices = {item.key: ("1" if n in {2, 5} else "0") for n, item in enumerate(items)}
    findings = [
        visits.FindingData(problem, measures, today + timedelta(days=21), responsible=person)
        for problem, measures, person in FINDINGS
    ]
    actor = inspector.user if inspector.user_id else office
    data = visits.VisitData(
        visited_on=visited,
        choices=choices,
        inspectors=[inspector],
        notes="学校整体管理规范，食堂和消防安全存在薄弱环节。",
        findings=findings,
    )
    return visits.visit_record(actor or office, target, data)


def _unannounced(
    county: Region,
    institutions: list[Institution],
    inspector: Inspector,
    *,
    template: ChecklistTemplate,
    office: User,
    today: date,
) -> None:
    plan = visits.plan_create(
        office,
        county,
        visits.PlanData(
            title="校园食品安全暗访",
            kind=PlanKind.UNANNOUNCED,
            notes="四不两直：不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场。",
            checklist=template,
        ),
    )
    for n, school in enumerate(institutions[2:4]):
        visits.target_add(office, plan, school, [inspector], today + timedelta(days=10 + n))
