"""Forms of the key-task app (they only shape input; the services validate and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet

from dudao.orgs.models import Department, Region
from dudao.workplan.choices import ReportStatus
from dudao.workplan.importing import IMPORT_MAX_BYTES, Preview, plan_title
from dudao.workplan.models import Leader


class ImportUploadForm(forms.Form):
    county = forms.ModelChoiceField(label="区县", queryset=Region.objects.none())
    file = forms.FileField(
        label="任务分解表（.xlsx 或 .csv）",
        help_text=f"不超过 {IMPORT_MAX_BYTES // 1024 // 1024} MB",
    )

    def __init__(self, counties: QuerySet[Region], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if counties.count() == 1:
            self.fields["county"].initial = counties.first()


class ImportConfirmForm(forms.Form):
    """The plan's title, year, number, date, and a choice for each new person or department."""

    title = forms.CharField(label="计划标题", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.CharField(label="文号", max_length=50, required=False)
    issued_on = forms.DateField(
        label="印发日期",
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, preview: Preview, *args: Any, **kwargs: Any) -> None:
        title = plan_title(preview.parsed.title, preview.year)
        kwargs.setdefault("initial", {"year": preview.year, "title": title})
        super().__init__(*args, **kwargs)
        self.name_rows = [*preview.unknown_people, *preview.unknown_departments]
        for row in self.name_rows:
            self.fields[row.key] = forms.ChoiceField(
                label=row.name, choices=row.options, initial=row.default
            )

    def plan_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("title", "year", "number", "issued_on")]

    def name_fields(self) -> list[forms.BoundField]:
        return [self[row.key] for row in self.name_rows]

    def choices(self) -> dict[str, str]:
        return {row.key: self.cleaned_data[row.key] for row in self.name_rows}


class RoundOpenForm(forms.Form):
    title = forms.CharField(
        label="名称", max_length=100, required=False, help_text="空则为“第N次调度”"
    )
    opened_on = forms.DateField(
        label="开始日期", widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    due_on = forms.DateField(
        label="报送截止日期",
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
        help_text="空则按计划的调度周期推算",
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files at once (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(VersionForm):
    status = forms.ChoiceField(label="进展状态", choices=ReportStatus.choices)
    percent = forms.IntegerField(
        label="完成进度（%）",
        min_value=0,
        max_value=100,
        required=False,
        help_text="手工填写 0—100",
    )
    done = forms.CharField(label="已完成工作", required=False, widget=forms.Textarea({"rows": 4}))
    next_steps = forms.CharField(
        label="下一步打算", required=False, widget=forms.Textarea({"rows": 3})
    )
    problems = forms.CharField(
        label="需协调解决的问题", required=False, widget=forms.Textarea({"rows": 2})
    )
    files = MultipleFileField(label="佐证材料", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.EVIDENCE_MAX_BYTES / 1024 / 1024
        kinds = "、".join(settings.EVIDENCE_EXTENSIONS)
        self.fields["files"].help_text = f"可多选；每个不超过 {limit:g} MB；类型：{kinds}"


class NoteForm(forms.Form):
    text = forms.CharField(label="督办意见", widget=forms.Textarea({"rows": 3}))
    critical = forms.BooleanField(label="问题较重，计入科室考核", required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label="批示", widget=forms.Textarea({"rows": 3}))
    report = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TaskEditForm(VersionForm):
    text = forms.CharField(label="重点工作任务", widget=forms.Textarea({"rows": 3}))
    start = forms.DateField(
        label="开始日期",
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    milestones = forms.CharField(
        label="节点安排", required=False, widget=forms.Textarea({"rows": 3})
    )
    targets = forms.CharField(label="目标要求", required=False, widget=forms.Textarea({"rows": 2}))
    co_units = forms.CharField(label="协办单位", required=False, max_length=200)
    leaders = forms.ModelMultipleChoiceField(
        label="责任领导",
        queryset=Leader.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead_departments = forms.ModelMultipleChoiceField(
        label="责任股室", queryset=Department.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    co_departments = forms.ModelMultipleChoiceField(
        label="协办股室",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, county: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(county=county).order_by("name")
        self.fields["leaders"].queryset = Leader.objects.filter(county=county)
        self.fields["lead_departments"].queryset = departments
        self.fields["co_departments"].queryset = departments

    def clean(self) -> dict[str, Any]:
        """A task without a lead department is named at the top too (the field error alone is
        easy to miss below the long form)."""
        cleaned = super().clean() or {}
        if not cleaned.get("lead_departments") and "lead_departments" in self.errors:
            self.add_error(None, "请至少选择一个牵头股室")
        return cleaned


class PlanSettingsForm(VersionForm):
    title = forms.CharField(label="计划标题", max_length=200)
    number = forms.CharField(label="文号", max_length=50, required=False)
    issued_on = forms.DateField(
        label="印发日期",
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    round_months = forms.IntegerField(label="调度周期（月）", min_value=1, max_value=12)
    warning_days = forms.IntegerField(
        label="临近时限预警天数",
        min_value=0,
        max_value=90,
        help_text="距完成时限不足此天数且未完成时亮黄灯",
    )
    behind_margin = forms.IntegerField(
        label="进度落后容差（百分点）",
        min_value=0,
        max_value=100,
        help_text="填报进度低于按时间推算的进度超过此数时亮黄灯",
    )


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Accounts shown as “full name（username）”, or the username alone without a name."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name}（{obj.username}）" if name else obj.username


class LeaderForm(forms.Form):
    account = AccountChoiceField(
        label="对应账号", queryset=User.objects.none(), required=False, empty_label="（不关联）"
    )
    is_body = forms.BooleanField(label="集体", required=False)

    def __init__(self, accounts: list[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = User.objects.filter(pk__in=[a.pk for a in accounts])
