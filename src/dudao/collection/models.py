"""Collection periods, submissions (a school's figures, or a county's items), their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dudao.collection.choices import ChangeAction, PeriodStatus, SubmissionStatus
from dudao.orgs.models import Institution, Region


class Period(models.Model):
    """A collection period (学年/年度) of one county for one framework."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField("名称", max_length=50, help_text="如“2026学年”")
    framework = models.CharField("指标体系", max_length=50)
    status = models.CharField(
        "状态", max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    opened_at = models.DateTimeField("开始时间", auto_now_add=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        ordering = ["county__code", "-opened_at"]
        verbose_name = verbose_name_plural = "填报期"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name", "framework"], name="period_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.name}"


class Submission(models.Model):
    """One institution's figures for a period, or the county's items when institution is empty.

    `values` maps column keys of the framework's field catalogue (or county-field keys) to
    numbers, booleans, text or null. `version` increases with every write: a save that was
    made from an older version is refused (no lost update).
    """

    period = models.ForeignKey(
        Period, verbose_name="填报期", on_delete=models.PROTECT, related_name="submissions"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status = models.CharField(
        "状态", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    values = models.JSONField("填报数据", default=dict)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["period", "institution__code"]
        verbose_name = verbose_name_plural = "填报"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "institution"], name="submission_one_per_institution"
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(institution__isnull=True),
                name="submission_one_county_items_per_period",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_valid"
            ),
        ]

    def __str__(self) -> str:
        owner = self.institution or "县级指标"
        return f"{self.period} · {owner}"

    @property
    def is_county_items(self) -> bool:
        return self.institution_id is None


class Change(models.Model):
    """One line of a submission's history: who, when, what (field old → new), and why."""

    submission = models.ForeignKey(
        Submission, verbose_name="填报", on_delete=models.CASCADE, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    action = models.CharField("操作", max_length=10, choices=ChangeAction.choices)
    field = models.CharField("字段", max_length=100, blank=True)
    old = models.JSONField("原值", null=True, blank=True)
    new = models.JSONField("新值", null=True, blank=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]
        verbose_name = verbose_name_plural = "填报记录"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.field}"


class Evidence(models.Model):
    """An evidence file attached to a county item."""

    submission = models.ForeignKey(
        Submission, verbose_name="填报", on_delete=models.CASCADE, related_name="evidence"
    )
    field = models.CharField("字段", max_length=100)
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["submission", "field", "uploaded_at"]
        verbose_name = verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return self.name
