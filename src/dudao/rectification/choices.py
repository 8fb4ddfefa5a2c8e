"""Enumerations of the rectification app (整改销号)."""

from django.db import models


class RectificationSource(models.TextChoices):
    """Where a rectification item comes from."""

    INSPECTION = "inspection", "督查发现"
    EVALUATION = "evaluation", "评估差距"
    COMPLAINT = "complaint", "群众投诉"
    INSTRUCTION = "instruction", "领导批示"


class RectificationStatus(models.TextChoices):
    """The stored states of an item.

    "退回重改" (responded → open) and "重新打开" (closed → open) are transitions recorded as events,
    not states; "overdue" is derived (status != closed and deadline < today), never stored.
    """

    OPEN = "open", "待整改"
    RESPONDED = "responded", "已反馈"
    CLOSED = "closed", "已核验销号"


class EventAction(models.TextChoices):
    """One line of an item's history."""

    CREATE = "create", "登记问题"
    RESPOND = "respond", "反馈整改情况"
    VERIFY = "verify", "核验销号"
    RETURN = "return", "退回重改"
    REOPEN = "reopen", "重新打开"
    UPDATE = "update", "修改措施/责任/时限"


# Sources the county office may choose when registering an item by hand.
MANUAL_SOURCES = (RectificationSource.COMPLAINT, RectificationSource.INSTRUCTION)


# The measures of an item generated from an evaluation run whose finding names none (a
# county-level indicator), unless the office types others in the action form.
DEFAULT_MEASURES = "对照指标要求制定整改方案"
