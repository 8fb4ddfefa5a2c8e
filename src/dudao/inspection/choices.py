"""Enumerations of the inspection app."""

from django.db import models


class InspectorKind(models.TextChoices):
    FULL_TIME = "full_time", "专职"
    PART_TIME = "part_time", "兼职"


class PlanKind(models.TextChoices):
    ROUTINE = "routine", "常规督查"
    SPECIAL = "special", "专项督导"
    ONLINE = "online", "线上巡查"
    UNANNOUNCED = "unannounced", "暗访（四不两直）"
    VISIT = "visit", "责任督学随访"


class PlanTopic(models.TextChoices):
    NONE = "", "—"
    ENROLMENT = "enrolment", "招生"
    FEES = "fees", "收费"
    LARGE_CLASSES = "large_classes", "大班额"
    CANTEENS = "canteens", "食堂"
    FIVE_MANAGEMENTS = "five_managements", "五项管理"
    SAFETY = "safety", "安全"
    OTHER = "other", "其他"


# What an assigned inspector (责任督学) supervises, printed on the school's sign card.
SUPERVISED_MATTERS = (
    "校务管理和制度执行情况",
    "招生、收费、择校情况",
    "课程开设和课堂教学情况",
    "学生学业负担情况",
    "学生体质健康情况",
    "教师队伍建设情况",
    "校园安全和食堂卫生情况",
    "“五项管理”落实情况",
)
