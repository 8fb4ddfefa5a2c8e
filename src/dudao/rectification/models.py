"""Rectification items (整改事项), their history and their evidence files."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dudao.orgs.models import Department, Institution, Region
from dudao.rectification.choices import EventAction, RectificationSource, RectificationStatus


class Rectification(models.Model):
    """One problem to rectify: the same row feeds the four lists (问题、措施、责任、时限).

    Owned by an institution, or a department, or neither (a county-level item: the county office
    is responsible). `version` increases with every write: an edit made from an older version is
    refused. Overdue is derived from `deadline`, never stored.
    """

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="rectifications"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    source = models.CharField("问题来源", max_length=12, choices=RectificationSource.choices)
    source_key = models.CharField(
        "来源标识", max_length=200, blank=True, help_text="同一区县内唯一；用于避免重复登记"
    )
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    problem = models.TextField("问题")
    measures = models.TextField("整改措施", blank=True)
    responsible = models.CharField("责任人", max_length=100, blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    response = models.TextField("最近一次整改反馈", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        ordering = ["county__code", "deadline", "pk"]
        verbose_name = verbose_name_plural = "整改事项"
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=True) | Q(department__isnull=True),
                name="rectification_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RectificationStatus.values),
                name="rectification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=RectificationSource.values),
                name="rectification_source_valid",
            ),
            models.UniqueConstraint(
                fields=["county", "source_key"],
                condition=~Q(source_key=""),
                name="rectification_unique_source_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_label} · {self.problem[:30]}"

    @property
    def owner_label(self) -> str:
        """Who must rectify: the school, the department, or the county office."""
        if self.institution_id:
            return str(self.institution)
        if self.department_id:
            return str(self.department)
        return self.county.supervision_office

    @property
    def is_closed(self) -> bool:
        return self.status == RectificationStatus.CLOSED

    def is_overdue(self, today: date) -> bool:
        """Not closed and the deadline has passed."""
        return not self.is_closed and self.deadline is not None and self.deadline < today

    def is_soon_due(self, today: date, days: int) -> bool:
        """Not closed, not overdue, and due within `days` days."""
        if self.is_closed or self.deadline is None or self.deadline < today:
            return False
        return (self.deadline - today).days <= days


class RectificationEvent(models.Model):
    """One line of an item's history: who, when, what (status from → to), and the note."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改事项", on_delete=models.CASCADE, related_name="events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    action = models.CharField("操作", max_length=10, choices=EventAction.choices)
    from_status = models.CharField(
        "原状态", max_length=10, choices=RectificationStatus.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=10, choices=RectificationStatus.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["rectification", "at", "pk"]
        verbose_name = verbose_name_plural = "整改记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EventAction.values), name="rectification_event_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class RectificationFile(models.Model):
    """An evidence file (整改佐证材料) uploaded with a response."""

    rectification = models.ForeignKey(
        Rectification, verbose_name="整改事项", on_delete=models.CASCADE, related_name="files"
    )
    event = models.ForeignKey(
        RectificationEvent,
        verbose_name="所属反馈",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )
    file = models.FileField("文件", upload_to="rectification/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        ordering = ["rectification", "uploaded_at", "pk"]
        verbose_name = verbose_name_plural = "整改佐证材料"

    def __str__(self) -> str:
        return self.name


class RectificationNotice(models.Model):
    """A rectification notice (整改通知书) the county office issued to a school, with its number:
    whoever downloads the school's notice afterwards gets this number (the latest issued).

    A row with `previous_number` records an explicit 更改文号 (old → new, who, when). `prefix`
    (发文字号前缀, e.g. 青教督改) is proposed for the county's next notice."""

    institution = models.ForeignKey(
        Institution, verbose_name="学校", on_delete=models.PROTECT, related_name="notices"
    )
    number = models.CharField("文号", max_length=50)
    prefix = models.CharField("发文字号前缀", max_length=30, blank=True)
    previous_number = models.CharField(
        "原文号", max_length=50, blank=True, help_text="更改文号时记录原来的文号"
    )
    issued_at = models.DateTimeField("下发时间", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下发人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["institution", "issued_at", "pk"]
        verbose_name = verbose_name_plural = "整改通知书"

    def __str__(self) -> str:
        return f"{self.institution} {self.number}"
