"""`manage.py load_demo`: a realistic demo (示例省 → 示例市 → two counties), an account per role.

Idempotent: when the demo province exists nothing is changed. Everything is invented (see
`dudao.engine.demo`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dudao.collection.models import Period
from dudao.core.management.demo_collection import RETURNED, open_periods, seed_submissions
from dudao.core.management.demo_inspection import seed_inspection
from dudao.core.management.demo_orgs import (
    DEMO_PASSWORD,
    PEOPLE,
    PROVINCE,
    Account,
    DemoOrg,
    build_accounts,
    build_org,
)
from dudao.core.management.demo_rectification import seed_rectification
from dudao.core.management.demo_workplan import seed_workplan
from dudao.core.management.demo_workplan_followup import seed_workplan_followup
from dudao.engine.demo import demo_county_values, demo_schools
from dudao.engine.results import VERDICT_LABELS
from dudao.evaluation.services import EvaluationError, run_evaluation
from dudao.orgs.models import Institution, Region
from dudao.workplan.models import WorkPlan

COUNTIES = 2
SCHOOLS_PER_COUNTY = 40
SEED = 2026


class Command(BaseCommand):
    help = (
        "载入演示数据（示例省、示例市、两个区县、学校、填报和各角色演示账号）；已载入时不做更改。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if Region.objects.filter(code=PROVINCE[1]).exists():
            self.stdout.write(f"演示数据已存在（{PROVINCE[0]}），未做任何更改。")
            self.stdout.write(f"演示账号的密码均为 {DEMO_PASSWORD}。")
            return
        frame = demo_schools(COUNTIES, SCHOOLS_PER_COUNTY, SEED)
        _refuse_conflicts(frame["school_code"].to_list())
        accounts, summary = _load(frame)
        self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write(_table(accounts))


def _refuse_conflicts(codes: list[str]) -> None:
    """Never load over existing accounts or institutions that are not the demo's."""
    taken = list(
        User.objects.filter(username__in=[p[0] for p in PEOPLE]).values_list("username", flat=True)
    )
    if taken:
        raise CommandError(f"以下用户名已被占用，无法载入演示数据：{'、'.join(taken)}")
    if Institution.objects.filter(code__in=codes).exists():
        raise CommandError("演示学校的学校标识码已被其他学校使用，无法载入演示数据。")


@transaction.atomic
def _load(frame: Any) -> tuple[list[Account], str]:
    org = build_org(frame)
    first = org.counties[0]
    schools = org.institutions[first.name]
    users, accounts = build_accounts(org, schools[RETURNED - 1])
    periods = open_periods(org.counties)
    county_values = demo_county_values(COUNTIES, SEED)[first.name]
    count = seed_submissions(
        periods[first.pk], frame.filter(county=first.name), schools, users, county_values
    )
    places = "、".join(f"{c.name}（{len(org.institutions[c.name])} 所学校）" for c in org.counties)
    summary = f"已载入演示数据：{PROVINCE[0]} → {org.city.name} → {places}；"
    trial = _trial_run(users["demo_supervisor"], periods[first.pk])
    summary += f"{first.name}已有 {count} 份填报；{trial}。"
    summary += "\n" + _supervision(org, users)
    return accounts, summary


def _supervision(org: DemoOrg, users: dict[str, User]) -> str:
    """Key tasks, inspections and rectification lists of the first county (one line each)."""
    first = org.counties[0]
    today = timezone.localdate()
    departments = {name: d for (county, name), d in org.departments.items() if county == first.name}
    lines = [seed_workplan(first, departments, users, today)]
    plan = WorkPlan.objects.get(county=first, year=today.year)
    lines.append(seed_workplan_followup(plan, users, today))
    lines.append(seed_inspection(first, org.institutions[first.name], users, today))
    lines.append(seed_rectification(first, users, today))
    return "\n".join(lines)


def _trial_run(supervisor: User, period: Period) -> str:
    """A first evaluation on the approved data, so that dashboards show a verdict."""
    try:
        run = run_evaluation(supervisor, period)
    except EvaluationError as error:
        return f"未能试运行评估（{error}）"
    return f"已试运行一次评估，结论：{VERDICT_LABELS.get(run.verdict, run.verdict)}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(accounts: list[Account]) -> str:
    """The demo accounts as an aligned plain-text table (Chinese characters count double)."""
    rows = [("角色", "用户名", "密码", "范围")]
    rows += [(a.role, a.username, DEMO_PASSWORD, a.scope) for a in accounts]
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(3)]
    lines = ["演示账号（密码均为 " + DEMO_PASSWORD + "）："]
    for row in rows:
        lines.append("".join(_pad(c, w) for c, w in zip(row[:3], widths, strict=True)) + row[3])
    return "\n".join(lines)
