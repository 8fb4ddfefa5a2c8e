"""Key-task supervision records: plans, tasks, progress rounds, reports, supervision, actions.

A county bureau's yearly plan (重点工作任务分解表) holds categories and tasks; each task names
responsible leaders, lead departments and co-departments. The office opens progress rounds (调度);
departments report per task; the office and leaders supervise; accountability actions are recorded.
Editable records carry a `version`: a save made from an older version is refused.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dudao.orgs.models import Department, Region
from dudao.workplan.choices import (
    AccountabilityKind,
    ImportStatus,
    LightChoice,
    ReportRole,
    ReportStatus,
    RoundStatus,
)

USER = settings.AUTH_USER_MODEL


class WorkPlan(models.Model):
    """A county bureau's key-task plan for one year, with its supervision settings."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="work_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=50, blank=True, help_text="如 华教体发〔2021〕2号")
    issued_on = models.DateField("印发日期", null=True, blank=True)
    round_months = models.PositiveSmallIntegerField(
        "调度周期（月）", default=2, help_text="默认每两个月调度一次"
    )
    warning_days = models.PositiveSmallIntegerField(
        "临近时限预警天数", default=15, help_text="距完成时限不足此天数且未完成时亮黄灯"
    )
    behind_margin = models.PositiveSmallIntegerField(
        "进度落后容差（百分点）", default=20, help_text="填报进度低于按时间推算的进度此数时亮黄灯"
    )
    weights = models.JSONField(
        "考核分值设置",
        default=dict,
        blank=True,
        help_text="科室考核各部分分值（本地设定，非国家文件规定）；空则用默认值",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["county__code", "-year"]
        verbose_name = verbose_name_plural = "重点工作计划"
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="workplan_one_per_county_year")
        ]

    def __str__(self) -> str:
        """The title, preceded by the year unless the title already starts with it."""
        if self.title.startswith(str(self.year)):
            return self.title
        return f"{self.year}年 {self.title}"


class Category(models.Model):
    """A group of tasks in the plan (抓常规, 强队伍, ...), in table order."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField("类别", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = verbose_name_plural = "任务类别"
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="workplan_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """A responsible leader of a county's tasks: a person, or a named body (局长办公会成员).

    `user` links the leader to an account so that "我分管的任务" can find their tasks.
    """

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="task_leaders"
    )
    name = models.CharField("姓名或名称", max_length=50)
    is_body = models.BooleanField("集体（如局长办公会成员）", default=False)
    user = models.ForeignKey(
        USER,
        verbose_name="对应账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_leaderships",
    )

    class Meta:
        ordering = ["county__code", "name"]
        verbose_name = verbose_name_plural = "责任领导"
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="workplan_leader_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One key task: what, who leads, who helps, by when."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="tasks"
    )
    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField("序号", max_length=20)
    order = models.PositiveIntegerField("顺序", default=0)
    text = models.TextField("重点工作任务")
    leaders = models.ManyToManyField(
        Leader, verbose_name="责任领导", blank=True, related_name="tasks"
    )
    lead_departments = models.ManyToManyField(
        Department, verbose_name="责任股室", blank=True, related_name="led_tasks"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name="协办股室", blank=True, related_name="co_tasks"
    )
    co_units = models.CharField(
        "协办单位", max_length=200, blank=True, help_text="不是本局股室的协办单位，如“各中小学”"
    )
    start = models.DateField("开始日期", null=True, blank=True, help_text="空则为计划年度1月1日")
    deadline = models.DateField("完成时限", null=True, blank=True, help_text="空则为计划年度年底")
    milestones = models.TextField("节点安排", blank=True)
    targets = models.TextField(
        "目标要求", blank=True, help_text="如“乡镇学校内部每年交流教师10%—15%”"
    )
    source_row = models.PositiveIntegerField("导入行号", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["plan", "category__order", "order", "pk"]
        verbose_name = verbose_name_plural = "重点工作任务"
        constraints = [
            models.UniqueConstraint(
                fields=["category", "number"], name="workplan_task_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"

    @property
    def label(self) -> str:
        """The task named unambiguously (numbers restart per category):
        抓常规第1项“规范办学行为…”. Reads `category` (select it with the task)."""
        return task_label(self.category.name, self.number, self.text)

    @property
    def full_label(self) -> str:
        """The label with the whole text, never cut: 抓常规第1项“规范办学行为，落实课程方案”."""
        return task_label(self.category.name, self.number, self.text, whole=True)


LABEL_TEXT_CHARS = 16


def task_label(category: str, number: str, text: str, *, whole: bool = False) -> str:
    """Category + number + the start of the text (the whole text with `whole`), e.g.
    抓常规第1项“规范办学行为…”."""
    text = " ".join(text.split())
    short = (
        text
        if whole or len(text) <= LABEL_TEXT_CHARS
        else text[:LABEL_TEXT_CHARS].rstrip("，,、；;。") + "…"
    )
    return f"{category}第{number}项“{short}”"


class TaskChange(models.Model):
    """One line of a task's edit history (who changed which field from what to what)."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="changes"
    )
    user = models.ForeignKey(
        USER, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    field = models.CharField("字段", max_length=50)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)

    class Meta:
        ordering = ["task", "at", "pk"]
        verbose_name = verbose_name_plural = "任务修改记录"

    def __str__(self) -> str:
        return f"{self.task} · {self.field}"


class PlanImport(models.Model):
    """An uploaded decomposition table waiting for confirmation; the bytes are parsed again on
    confirm, so nothing the browser sends back is trusted as task data."""

    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.CASCADE, related_name="plan_imports"
    )
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=200)
    data = models.BinaryField("文件内容")
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    plan = models.ForeignKey(
        WorkPlan,
        verbose_name="导入到计划",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = verbose_name_plural = "任务分解表导入"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="workplan_import_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Round(models.Model):
    """A progress round (调度): departments report on their tasks by the due date."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("期次")
    title = models.CharField("名称", max_length=100, help_text="如“第3次调度（5—6月）”")
    opened_on = models.DateField("开始日期")
    due_on = models.DateField("报送截止日期")
    status = models.CharField(
        "状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    notice_number = models.CharField("通报文号", max_length=50, blank=True)
    opened_by = models.ForeignKey(
        USER, verbose_name="发起人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = verbose_name_plural = "调度"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="workplan_round_unique_number"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opened_on")), name="workplan_round_due_after_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def not_started(self, today: date) -> bool:
        """An open round whose start date is still to come: no reports, reminders or lights yet."""
        return self.status == RoundStatus.OPEN and today < self.opened_on

    @property
    def start_note(self) -> str:
        """尚未开始（1月1日开始报送）."""
        return f"尚未开始（{self.opened_on.month}月{self.opened_on.day}日开始报送）"

    def clean(self) -> None:
        """Dates that contradict each other are refused, each on its field (edits in the admin;
        the pages open rounds through `services.round_open`, which checks the same)."""
        errors: dict[str, str] = {}
        if self.opened_on and self.plan_id and self.opened_on < date(self.plan.year, 1, 1):
            errors["opened_on"] = f"开始日期不能早于计划年度的第一天（{self.plan.year}-01-01）"
        if self.opened_on and self.due_on and self.due_on < self.opened_on:
            errors["due_on"] = "报送截止日期不能早于开始日期"
        if (
            self.opened_on
            and self.closed_at
            and timezone.localdate(self.closed_at) < self.opened_on
        ):
            errors["closed_at"] = "结束时间不能早于开始日期"
        if errors:
            raise ValidationError(errors)


class Report(models.Model):
    """A department's report on one task in one round: the lead department's full report, or a
    co-department's part. The percentage is typed by hand, never computed."""

    round = models.ForeignKey(
        Round, verbose_name="调度", on_delete=models.CASCADE, related_name="reports"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports"
    )
    department = models.ForeignKey(
        Department, verbose_name="报送股室", on_delete=models.PROTECT, related_name="task_reports"
    )
    role = models.CharField("身份", max_length=4, choices=ReportRole.choices)
    status = models.CharField("进展状态", max_length=12, choices=ReportStatus.choices)
    percent = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    done = models.TextField("已完成工作", blank=True)
    next_steps = models.TextField("下一步打算", blank=True)
    problems = models.TextField("需协调解决的问题", blank=True)
    submitted_at = models.DateTimeField("首次报送时间")
    submitted_by = models.ForeignKey(
        USER, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering = ["round", "task__category__order", "task__order", "role", "department__name"]
        verbose_name = verbose_name_plural = "进展报送"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "task", "department"], name="workplan_report_one_per_department"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="workplan_report_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="workplan_report_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.task.number} · {self.department}"

    @property
    def late(self) -> bool:
        """Handed in after the round's due date (in the server's time zone)."""
        return timezone.localdate(self.submitted_at) > self.round.due_on


class ReportFile(models.Model):
    """An evidence file attached to a report."""

    report = models.ForeignKey(
        Report, verbose_name="报送", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to="workplan/%Y/%m/")
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = verbose_name_plural = "报送附件"

    def __str__(self) -> str:
        return self.name


class TaskLight(models.Model):
    """A task's traffic light as it stood when a round closed (the ladder and notices read it)."""

    round = models.ForeignKey(
        Round, verbose_name="调度", on_delete=models.CASCADE, related_name="lights"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="lights"
    )
    light = models.CharField("信号灯", max_length=6, choices=LightChoice.choices)
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        ordering = ["round", "task__category__order", "task__order"]
        verbose_name = verbose_name_plural = "调度时信号灯"
        constraints = [
            models.UniqueConstraint(fields=["round", "task"], name="workplan_light_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.task.number} · {self.get_light_display()}"


class RoundExpectation(models.Model):
    """A department expected to report on a task in a round, as it stood when the round closed
    (lead or co). A closed round's notice, page and scores read these rows, so editing a task's
    departments later does not change what the round asked for. A closed round without rows
    (closed before this snapshot existed) falls back to the tasks' current departments."""

    round = models.ForeignKey(
        Round, verbose_name="调度", on_delete=models.CASCADE, related_name="expectations"
    )
    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="expectations"
    )
    department = models.ForeignKey(
        Department, verbose_name="股室", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("身份", max_length=4, choices=ReportRole.choices)

    class Meta:
        ordering = ["round", "task", "role", "department__name"]
        verbose_name = verbose_name_plural = "调度时应报股室"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "task", "department", "role"],
                name="workplan_expectation_unique",
            ),
            models.CheckConstraint(
                condition=Q(role__in=ReportRole.values), name="workplan_expectation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.task.number} · {self.department} · {self.get_role_display()}"


class SupervisionNote(models.Model):
    """A note by the supervision office on a task; a critical note counts against the
    department's score."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="notes"
    )
    round = models.ForeignKey(
        Round,
        verbose_name="调度",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    author = models.ForeignKey(
        USER, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    text = models.TextField("督办意见")
    critical = models.BooleanField("计入考核（问题较重）", default=False)

    class Meta:
        ordering = ["task", "at", "pk"]
        verbose_name = verbose_name_plural = "督办意见"

    def __str__(self) -> str:
        return self.text[:30]


class Comment(models.Model):
    """A leader's comment (批示) on a task, or on one report of it."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="comments"
    )
    report = models.ForeignKey(
        Report,
        verbose_name="报送",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        USER, verbose_name="批示领导", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    text = models.TextField("批示")

    class Meta:
        ordering = ["task", "at", "pk"]
        verbose_name = verbose_name_plural = "领导批示"

    def __str__(self) -> str:
        return self.text[:30]


class AccountabilityAction(models.Model):
    """An accountability action decided by a person (通报批评, 约谈, 书面检查, 问责) on a department
    or a named person, with the tasks concerned."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name="计划", on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField("措施", max_length=20, choices=AccountabilityKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="股室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_actions",
    )
    person = models.CharField("责任人", max_length=50, blank=True)
    on = models.DateField("日期")
    reason = models.TextField("事由")
    tasks = models.ManyToManyField(
        Task, verbose_name="涉及任务", blank=True, related_name="actions"
    )
    decided_by = models.ForeignKey(
        USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["plan", "-on", "-pk"]
        verbose_name = verbose_name_plural = "问责记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False) | ~Q(person=""),
                name="workplan_action_has_target",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountabilityKind.values),
                name="workplan_action_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.department or self.person}"


class ReminderSent(models.Model):
    """A reminder e-mail already sent (one per key), so the daily command never repeats one."""

    key = models.CharField("提醒标识", max_length=200, unique=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = verbose_name_plural = "已发送提醒"

    def __str__(self) -> str:
        return self.key
