"""`manage.py schedule_inspector_visits [--county CODE] [--month YYYY-MM] [--user NAME]`.

Makes each county's 责任督学随访 plan for the month (`schedule.visit_schedule`); all counties by
default, this month by default. Run monthly (cron); a month already scheduled is reported and
skipped, so running it twice is harmless. The plans are created in the name of `--user`, else
of the county's first supervisor account, else of the first active superuser.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dudao.inspection.errors import ServiceError
from dudao.inspection.schedule import month_label, visit_schedule
from dudao.orgs.choices import RegionLevel, Role
from dudao.orgs.models import Region


class Command(BaseCommand):
    help = "生成各区县的责任督学随访计划（每所挂牌学校一个检查对象）；已生成的月份跳过。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", help="只生成该区县（区划代码），默认全部区县")
        parser.add_argument("--month", help="随访月份（YYYY-MM），默认本月")
        parser.add_argument("--user", help="以该账号的名义生成，默认该县的县督导室账号")

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options.get("month"))
        counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
        if options.get("county"):
            counties = counties.filter(code=options["county"])
            if not counties.exists():
                raise CommandError(f"没有区划代码为 {options['county']} 的区县")
        chosen = _user(options.get("user"))
        made = 0
        for county in counties:
            actor = chosen or _actor(county)
            if actor is None:
                self.stderr.write(f"{county.name}：没有县督导室或管理员账号，未生成")
                continue
            try:
                plan = visit_schedule(actor, county, month=month)
            except (ServiceError, PermissionDenied) as exc:
                message = exc.message if isinstance(exc, ServiceError) else str(exc)
                self.stderr.write(f"{county.name}：未生成——{message}")
                continue
            made += 1
            self.stdout.write(f"{county.name}：已生成“{plan.title}”，{plan.targets.count()} 所学校")
        self.stdout.write(f"共生成 {made} 个{month_label(month)}责任督学随访计划。")


def _month(text: str | None) -> date:
    if not text:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(f"月份格式应为 YYYY-MM：{text}") from exc


def _user(name: str | None) -> User | None:
    if not name:
        return None
    found = User.objects.filter(username=name, is_active=True).first()
    if found is None:
        raise CommandError(f"没有名为 {name} 的有效账号")
    return found


def _actor(county: Region) -> User | None:
    supervisor = (
        User.objects.filter(
            is_active=True, memberships__role=Role.SUPERVISOR, memberships__region=county
        )
        .order_by("pk")
        .first()
    )
    return (
        supervisor or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    )
