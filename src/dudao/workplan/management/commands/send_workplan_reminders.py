"""`manage.py send_workplan_reminders [--today YYYY-MM-DD]`: e-mail each user's key-task reminders.

Run daily (cron). Sends only when `settings.EMAIL_HOST` is set; one mail per user per reminder
key, each key recorded in `ReminderSent` so that a reminder is never sent twice. Users without an
e-mail address are skipped (they still see the reminders in the app).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dudao.workplan.reminders import send_reminders

NOT_CONFIGURED = "未配置邮件服务器（EMAIL_HOST），未发送。"


class Command(BaseCommand):
    help = "发送重点工作提醒邮件（调度临近截止未报送、任务临近时限或已逾期）；每条提醒只发一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按哪一天计算提醒（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMAIL_HOST:
            self.stdout.write(NOT_CONFIGURED)
            return
        today = _day(options.get("today"))
        users = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
        sent = send_reminders(users, today=today)
        self.stdout.write(f"已发送提醒邮件 {sent} 封（{today.isoformat()}）。")


def _day(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from exc
