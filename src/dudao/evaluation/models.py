"""Evaluation runs: immutable records of one evaluation on approved data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from dudao.collection.models import Period


class RunIsImmutable(Exception):
    """A stored run cannot be changed."""


class Run(models.Model):
    """One evaluation of a period's approved data: framework hash, inputs and result."""

    period = models.ForeignKey(
        Period, verbose_name="填报期", on_delete=models.PROTECT, related_name="runs"
    )
    framework = models.CharField("指标体系", max_length=50)
    framework_version = models.CharField("指标体系版本", max_length=50)
    framework_digest = models.CharField("指标体系摘要", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评估人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("评估时间", auto_now_add=True)
    inputs = models.JSONField("输入数据快照")
    missing = models.JSONField("未纳入的学校", default=list)
    result = models.JSONField("评估结果")
    verdict = models.CharField("结论", max_length=12)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "评估记录"

    def __str__(self) -> str:
        return f"{self.period} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RunIsImmutable("评估记录一经生成不可修改")
        super().save(*args, **kwargs)
