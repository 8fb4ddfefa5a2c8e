"""The demo's rectification items registered by hand (a complaint, leaders' instructions), in
different states so that the four lists show progress. Items from inspection findings come from
the inspection demo. Called by `load_demo` for the first demo county.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dudao.orgs.choices import INSTITUTION_ROLES
from dudao.orgs.models import Department, Institution, Membership, Region
from dudao.rectification import services
from dudao.rectification.models import Rectification


def seed_rectification(county: Region, users: dict[str, User], today: date) -> str:
    """Seed the county's hand-made items; returns a one-line Chinese summary.

    `users` holds at least "demo_supervisor", "demo_inspector" and "demo_clerk" (the clerk of one
    of the county's schools); "demo_department" (教育股) answers the department's item when given.
    """
    office, inspector, clerk = (
        users[k] for k in ("demo_supervisor", "demo_inspector", "demo_clerk")
    )
    school = _school_of(clerk, county)
    department = Department.objects.filter(county=county, name="教育股").first()

    def item(key: str, days_ago: int, **fields: object) -> tuple[Rectification, bool]:
        """(item, created): a repeated seed finds its keyed items and leaves them as they are."""
        return services.rectification_create(
            office, county=county, source_key=f"demo:{key}", now=_at(today, days_ago), **fields
        )  # type: ignore[arg-type]

    item(
        "complaint:crossing",
        12,
        source="complaint",
        source_label="12345 热线家长来电",
        problem="放学时段校门口车辆拥堵，学生过马路无人引导",
        institution=school,
        measures="错峰放学；联系交警设置护学岗，教师轮流值守校门",
        responsible="分管安全副校长",
        deadline=today + timedelta(days=5),
    )
    fee, new = item(
        "complaint:fee",
        30,
        source="complaint",
        source_label="家长来信",
        problem="课后服务收费项目未在校门口公示",
        institution=school,
        measures="在校门口和家长群公示收费项目、标准和依据",
        responsible="校长",
        deadline=today - timedelta(days=10),
    )
    if new:
        fee = services.rectification_respond(
            clerk, fee, note="已在校门口公示栏和家长群公示", version=fee.version, now=_at(today, 20)
        )
        services.rectification_verify(
            inspector,
            fee,
            note="经挂牌督导现场查看，已公示",
            version=fee.version,
            now=_at(today, 18),
        )
    late, _ = item(
        "instruction:canteen",
        25,
        source="instruction",
        source_label="局长在全县教育工作会上的批示",
        problem="全县中小学食堂陪餐制度落实情况未形成台账",
        measures="县督导室牵头汇总各校陪餐记录，形成全县台账",
        responsible="督导室主任",
        deadline=today - timedelta(days=3),
    )
    count = 3
    if department is not None:
        books, new = item(
            "instruction:books",
            15,
            source="instruction",
            source_label="分管副局长批示",
            problem="部分农村小学图书室藏书陈旧，生均图书未达标",
            department=department,
            measures="制定图书补充计划，列入下年度预算",
            responsible="教育股股长",
            deadline=today + timedelta(days=20),
        )
        answering = users.get("demo_department")
        if new and answering is not None:
            services.rectification_respond(
                answering, books, note="已制定补充计划并报计财股", version=1, now=_at(today, 2)
            )
        count += 1
    open_count = count - 1
    return (
        f"整改：登记 {count} 项（群众投诉、领导批示），其中 1 项已核验销号、{open_count} 项未销号"
        f"（{school.name}临期 1 项，{late.owner_label}逾期 1 项）"
    )


def _school_of(clerk: User, county: Region) -> Institution:
    found = Membership.objects.filter(
        user=clerk, role__in=INSTITUTION_ROLES, institution__county=county
    ).select_related("institution")
    membership = found.first()
    if membership is None or membership.institution is None:
        raise ValueError("demo_clerk is not a school clerk of the county")
    return membership.institution


def _at(today: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9, 0)))
