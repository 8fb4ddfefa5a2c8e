"""Enumerations of the key-task app.

Report statuses, accountability kinds and lights repeat the engine's values
(`dudao.engine.workplan`); a test keeps the two in step.
"""

from django.db import models


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    LAGGING = "lagging", "滞后"
    BLOCKED = "blocked", "受阻"


class AccountabilityKind(models.TextChoices):
    CRITICISM = "criticism", "通报批评"
    TALK = "talk", "约谈"
    WRITTEN_REVIEW = "written_review", "书面检查"
    ACCOUNTABILITY = "accountability", "问责"


class LightChoice(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class RoundStatus(models.TextChoices):
    OPEN = "open", "调度中"
    CLOSED = "closed", "已结束"


class ReportRole(models.TextChoices):
    LEAD = "lead", "牵头"
    CO = "co", "协办"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    APPLIED = "applied", "已导入"
    DISCARDED = "discarded", "已放弃"
