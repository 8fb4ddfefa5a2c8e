"""Inspectors, conflicts, assignments, checklists, random draws, plans, targets and visits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from dudao.inspection.choices import InspectorKind, PlanKind, PlanTopic
from dudao.orgs.models import Department, Institution, Region


class Inspector(models.Model):
    """An inspector (督学) of a county's pool, full- or part-time."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="inspectors"
    )
    code = models.CharField("督学编号", max_length=20)
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField(
        "类别", max_length=10, choices=InspectorKind.choices, default=InspectorKind.PART_TIME
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name="所在学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspector_profiles",
    )
    active = models.BooleanField("在岗", default=True)
    version = models.PositiveIntegerField("版本", default=0)

    class Meta:
        ordering = ["county__code", "code"]
        verbose_name = verbose_name_plural = "督学"
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="inspector_code_per_county"),
            models.CheckConstraint(
                condition=models.Q(kind__in=InspectorKind.values), name="inspector_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Conflict(models.Model):
    """A declared conflict (回避): the inspector must not inspect the institution."""

    inspector = models.ForeignKey(
        Inspector, verbose_name="督学", on_delete=models.CASCADE, related_name="conflicts"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="学校", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("回避原因", max_length=100)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["inspector__code", "institution__code"]
        verbose_name = verbose_name_plural = "回避关系"
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "institution"], name="conflict_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspector.name} 回避 {self.institution.name}"


class Assignment(models.Model):
    """The assigned inspector (责任督学) of one institution."""

    institution = models.OneToOneField(
        Institution,
        verbose_name="学校",
        on_delete=models.CASCADE,
        related_name="assigned_inspector",
    )
    inspector = models.ForeignKey(
        Inspector, verbose_name="责任督学", on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField("指定时间", auto_now=True)

    class Meta:
        ordering = ["institution__code"]
        verbose_name = verbose_name_plural = "责任督学挂牌"

    def __str__(self) -> str:
        return f"{self.institution.name} · {self.inspector.name}"


class ChecklistTemplate(models.Model):
    """A versioned checklist (评分表); a visit keeps the version it used."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="checklists"
    )
    name = models.CharField("名称", max_length=100)
    version = models.PositiveIntegerField("版本号", default=1)
    structure = models.JSONField("评分结构")
    pass_mark = models.FloatField("合格分")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["county__code", "name", "-version"]
        verbose_name = verbose_name_plural = "检查评分表"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name", "version"], name="checklist_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class DrawIsImmutable(Exception):
    """A random draw cannot change once drawn."""


class RandomDraw(models.Model):
    """A random draw (双随机): prepared with a committed seed, then drawn; immutable after that."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="random_draws"
    )
    title = models.CharField("名称", max_length=100)
    count = models.PositiveIntegerField("抽取学校数")
    per_school = models.PositiveIntegerField("每校督学数")
    exclude_last = models.BooleanField("回避上次检查该校的督学", default=False)
    seed = models.CharField("随机种子", max_length=100)
    seed_digest = models.CharField("种子摘要", max_length=64)
    algorithm = models.CharField("算法版本", max_length=30)
    schools = models.JSONField("候选学校")  # [{"code", "name"}]
    inspectors = models.JSONField("候选督学")  # [{"code", "name", "institution_code"}]
    conflicts = models.JSONField("回避关系")  # [[inspector_code, school_code, reason]]
    result = models.JSONField("抽签结果", null=True, blank=True)  # result_to_dict
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="准备人", on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField("准备时间", auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽签人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField("抽签时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("作废时间", null=True, blank=True)
    cancel_reason = models.CharField("作废原因", max_length=200, blank=True)

    class Meta:
        ordering = ["county__code", "-prepared_at"]
        verbose_name = verbose_name_plural = "双随机抽签"

    def __str__(self) -> str:
        return self.title

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = RandomDraw.objects.filter(pk=self.pk)
            if stored.filter(drawn_at__isnull=False).exists():
                raise DrawIsImmutable("抽签结果一经产生不可修改")
            if stored.filter(cancelled_at__isnull=False).exists():
                raise DrawIsImmutable("已作废的抽签不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.drawn_at is not None:
            raise DrawIsImmutable("抽签结果一经产生不可删除")
        if self.cancelled_at is not None:
            raise DrawIsImmutable("已作废的抽签记录不可删除")
        return super().delete(*args, **kwargs)


class DrawPublication(models.Model):
    """The publication (公示) of a drawn random draw to everyone of the county."""

    draw = models.OneToOneField(
        RandomDraw, verbose_name="抽签", on_delete=models.PROTECT, related_name="publication"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="公示人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("公示时间", auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = verbose_name_plural = "抽签公示"

    def __str__(self) -> str:
        return f"{self.draw} 公示"


class InspectionPlan(models.Model):
    """An inspection plan (督查计划) of a county: kind, topic and targets."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    title = models.CharField("计划名称", max_length=100)
    kind = models.CharField("类型", max_length=15, choices=PlanKind.choices)
    topic = models.CharField(
        "专项主题", max_length=20, choices=PlanTopic.choices, blank=True, default=""
    )
    notes = models.TextField("说明", blank=True)
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="评分表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    reinspection_items = models.JSONField(
        "复查的整改事项", default=list, blank=True
    )  # sorted pks of the open rectification items a re-inspection plan was made for
    visit_month = models.DateField(
        "随访月份", null=True, blank=True
    )  # first day of the month a scheduled 责任督学随访 plan is for (visit_schedule)
    draw = models.OneToOneField(
        RandomDraw,
        verbose_name="来源抽签",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["county__code", "-created_at"]
        verbose_name = verbose_name_plural = "督查计划"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlanKind.values), name="plan_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["county", "visit_month"],
                condition=models.Q(visit_month__isnull=False),
                name="plan_one_visit_schedule_per_month",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unannounced(self) -> bool:
        return self.kind == PlanKind.UNANNOUNCED


class Target(models.Model):
    """A school to inspect under a plan: its inspectors and scheduled date."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="targets"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(Inspector, verbose_name="督学", related_name="targets")
    scheduled = models.DateField("计划日期", null=True, blank=True)

    class Meta:
        ordering = ["plan", "scheduled", "institution__code"]
        verbose_name = verbose_name_plural = "检查对象"
        constraints = [
            models.UniqueConstraint(fields=["plan", "institution"], name="target_unique_school")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.institution}"


class Visit(models.Model):
    """A recorded visit (检查记录) of one target against a checklist version."""

    target = models.OneToOneField(
        Target, verbose_name="检查对象", on_delete=models.PROTECT, related_name="visit"
    )
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="评分表版本",
        on_delete=models.PROTECT,
        related_name="visits",
    )
    choices = models.JSONField("评分选项", default=dict)  # item key → option index
    total = models.FloatField("得分")
    full = models.FloatField("满分")
    passed = models.BooleanField("合格")
    notes = models.TextField("检查情况", blank=True)
    visited_on = models.DateField("检查日期")
    inspectors = models.ManyToManyField(Inspector, verbose_name="检查督学", related_name="visits")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-recorded_at"]
        verbose_name = verbose_name_plural = "检查记录"

    def __str__(self) -> str:
        return f"{self.target.institution} · {self.visited_on}"


class VisitFile(models.Model):
    """A photo or file attached to a visit."""

    visit = models.ForeignKey(
        Visit, verbose_name="检查记录", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to="visits/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["visit", "uploaded_at"]
        verbose_name = verbose_name_plural = "检查附件"

    def __str__(self) -> str:
        return self.name


class Finding(models.Model):
    """A problem found on a visit; it becomes a rectification item (整改事项)."""

    visit = models.ForeignKey(
        Visit, verbose_name="检查记录", on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveIntegerField("序号")
    problem = models.TextField("问题")
    measures = models.TextField("整改措施", blank=True)
    responsible = models.CharField("责任人", max_length=100, blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name="责任学校",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="责任股室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["visit", "number"]
        verbose_name = verbose_name_plural = "检查发现的问题"
        constraints = [
            models.UniqueConstraint(fields=["visit", "number"], name="finding_number_unique")
        ]

    def __str__(self) -> str:
        return self.problem[:30]

    @property
    def source_key(self) -> str:
        return f"visit:{self.visit_id}:finding:{self.number}"


class TargetChange(models.Model):
    """A change of a drawn target after the draw (抽签后调整): inspectors replaced or the school
    removed, with the reason; kept on the plan and shown on the plan and draw pages."""

    class Action(models.TextChoices):
        REPLACE = "replace", "更换督学"
        REMOVE = "remove", "移除学校"

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="changes"
    )
    institution = models.ForeignKey(
        Institution, verbose_name="学校", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("调整", max_length=10, choices=Action.choices)
    old_inspectors = models.CharField("原督学", max_length=300)
    new_inspectors = models.CharField("新督学", max_length=300, blank=True)
    reason = models.CharField("理由", max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="调整人", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        ordering = ["plan", "changed_at", "pk"]
        verbose_name = verbose_name_plural = "抽签后调整"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["replace", "remove"]),
                name="target_change_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.institution} · {self.get_action_display()}"
