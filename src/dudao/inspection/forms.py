"""Forms of the inspection app: they only parse; the services validate and decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Case, Value, When

from dudao.inspection import checklist as rubric
from dudao.inspection.choices import InspectorKind, PlanKind, PlanTopic
from dudao.inspection.models import ChecklistTemplate, Inspector
from dudao.inspection.visits import FindingData
from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Institution, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # the browser's date picker


class ServiceErrorsMixin:
    """Put a service's per-field reasons back on the form."""

    def add_service_errors(self, errors: Mapping[str, str]) -> None:
        for key, reason in errors.items():
            self.add_error(key if key in self.fields else None, reason)  # type: ignore[attr-defined]


def _schools(county: Region) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Institution.objects.filter(county=county), label="学校", empty_label="（请选择）"
    )


class InspectorForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label="督学编号", max_length=20)
    name = forms.CharField(label="姓名", max_length=50)
    kind = forms.ChoiceField(label="类别", choices=InspectorKind.choices)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    institution = forms.ModelChoiceField(
        Institution.objects.none(), label="所在学校", required=False, empty_label="（无）"
    )
    user = forms.ModelChoiceField(
        User.objects.none(), label="登录账号", required=False, empty_label="（无）"
    )
    active = forms.BooleanField(label="在岗", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, county: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(county=county)  # type: ignore[attr-defined]
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__role=Role.INSPECTOR, memberships__region=county
        ).distinct()


def inspector_initial(inspector: Inspector) -> dict[str, Any]:
    fields = ("code", "name", "kind", "phone", "institution", "user", "active", "version")
    return {f: getattr(inspector, f) for f in fields}


class ConflictForm(ServiceErrorsMixin, forms.Form):
    institution = forms.ModelChoiceField(Institution.objects.none(), label="回避学校")
    reason = forms.CharField(label="回避原因", max_length=100)

    def __init__(self, county: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"] = _schools(county)
        self.fields["institution"].label = "回避学校"


class ChecklistForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    pass_mark = forms.FloatField(label="合格分", min_value=0, initial=rubric.DEFAULT_PASS_MARK)
    lines = forms.CharField(
        label="检查内容（每行一项）",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        initial=rubric.DEFAULT_LINES,
        help_text=f"格式：{rubric.LINE_FORMAT}",
    )
    # the version number of the template the edit was made from (edit form only)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class DrawPrepareForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    township = forms.ModelChoiceField(
        Region.objects.none(), label="乡镇", required=False, empty_label="（全县）"
    )
    school_type = forms.ChoiceField(label="学校类型", required=False)
    count = forms.IntegerField(label="抽取学校数 N", min_value=1, initial=3)
    per_school = forms.IntegerField(label="每校督学数 M", min_value=1, initial=2)
    exclude_last = forms.BooleanField(label="回避上次检查该校的督学", required=False)

    def __init__(self, county: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = county.children.all()  # type: ignore[attr-defined]
        types = sorted(
            set(Institution.objects.filter(county=county).values_list("school_type", flat=True))
        )
        self.fields["school_type"].choices = [("", "（全部）"), *((t, t) for t in types)]  # type: ignore[attr-defined]


class FromDrawForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="计划类型",
        choices=[
            (k, PlanKind(k).label) for k in (PlanKind.ROUTINE, PlanKind.SPECIAL, PlanKind.ONLINE)
        ],
        initial=PlanKind.ROUTINE,
        required=False,  # not given: 常规督查
    )
    topic = forms.ChoiceField(label="专项主题", choices=PlanTopic.choices, required=False)
    scheduled = forms.DateField(label="计划检查日期", required=False, widget=DATE)
    checklist = forms.ModelChoiceField(
        ChecklistTemplate.objects.none(), label="评分表", required=False, empty_label="（不用）"
    )

    def __init__(self, checklists: list[ChecklistTemplate], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = ChecklistTemplate.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in checklists]
        )


class PlanForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="计划名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=PlanKind.choices)
    topic = forms.ChoiceField(label="专项主题", choices=PlanTopic.choices, required=False)
    checklist = forms.ModelChoiceField(
        ChecklistTemplate.objects.none(), label="评分表", required=False, empty_label="（不用）"
    )
    notes = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, checklists: list[ChecklistTemplate], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = ChecklistTemplate.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in checklists]
        )


class TargetForm(ServiceErrorsMixin, forms.Form):
    institution = forms.ModelChoiceField(Institution.objects.none(), label="学校")
    inspectors = forms.ModelMultipleChoiceField(Inspector.objects.none(), label="督学")
    scheduled = forms.DateField(label="计划日期", required=False, widget=DATE)

    def __init__(self, county: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"] = _schools(county)
        self.fields["inspectors"].queryset = Inspector.objects.filter(  # type: ignore[attr-defined]
            county=county, active=True
        )


class TargetEditForm(ServiceErrorsMixin, forms.Form):
    """A target's inspectors and date (修改); prefixed per target, several on the plan page."""

    inspectors = forms.ModelMultipleChoiceField(Inspector.objects.none(), label="督学")
    scheduled = forms.DateField(label="计划日期", required=False, widget=DATE)

    def __init__(
        self, county: Region, target_pk: int, *args: Any, drawn: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"target-{target_pk}")
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = Inspector.objects.filter(  # type: ignore[attr-defined]
            county=county, active=True
        )
        if drawn:  # a plan made from a draw: replacing the drawn inspectors needs a reason
            self.fields["reason"] = reason_field("更换督学时必填")

    def reason(self) -> str:
        return str(self.cleaned_data.get("reason") or "")


def reason_field(hint: str) -> forms.CharField:
    """替换理由 of a change to a drawn target; the service refuses a missing one."""
    return forms.CharField(
        label="替换理由",
        max_length=200,
        required=False,
        help_text=hint,
        widget=forms.TextInput(attrs={"placeholder": "如：督学因病不能参加"}),
    )


class TargetRemoveForm(forms.Form):
    """The reason a drawn target is removed (plans made from a draw only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field("移除抽中的学校必填")
        self.fields["reason"].widget.attrs["required"] = True


class DrawCancelForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=200)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the view reads them with `request.FILES.getlist`)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class VisitForm(ServiceErrorsMixin, forms.Form):
    """Scores per checklist item (one choice field each), notes, date, inspectors, files."""

    visited_on = forms.DateField(
        label="检查日期",
        widget=DATE,
        error_messages={
            "required": "请填写检查日期",
            "invalid": "检查日期格式不正确，请按“年-月-日”填写",
        },
    )
    notes = forms.CharField(
        label="检查情况", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    inspectors = forms.ModelMultipleChoiceField(
        Inspector.objects.none(),
        label="检查督学",
        error_messages={"required": "请选择参加本次检查的督学"},
    )
    files = MultipleFileField(
        label="照片和附件",
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text=(
            f"每个文件不超过 {settings.EVIDENCE_MAX_BYTES / 1024 / 1024:g} MB，类型："
            + "、".join(settings.EVIDENCE_EXTENSIONS)
        ),
    )

    def __init__(
        self,
        county: Region,
        structure: Mapping[str, Any] | None,
        *args: Any,
        planned: Sequence[Inspector] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # the target's planned inspectors first; others stay selectable (the service checks them)
        self.fields["inspectors"].queryset = (  # type: ignore[attr-defined]
            Inspector.objects.filter(county=county)
            .annotate(
                unplanned=Case(
                    When(pk__in=[i.pk for i in planned], then=Value(0)), default=Value(1)
                )
            )
            .order_by("unplanned", "code")
        )
        self.items = rubric.items_of(structure or {})
        for item in self.items:
            self.fields[f"score_{item.key}"] = forms.ChoiceField(
                label=f"{item.key} {item.text}（权重 {item.weight:g}）",
                choices=[("", "（请选择）")]
                + [(str(i), f"{o.label}（{o.points:g}分）") for i, o in enumerate(item.options)],
                error_messages={
                    "required": f"第 {item.key} 项“{item.text}”尚未评定，请选择评定结果",
                    "invalid_choice": f"第 {item.key} 项“{item.text}”的评定不在可选范围内",
                },
            )

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{item.key}"] for item in self.items]

    def choices(self) -> dict[str, str]:
        return {item.key: self.cleaned_data.get(f"score_{item.key}", "") for item in self.items}


class FindingForm(forms.Form):
    problem = forms.CharField(
        label="问题", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    measures = forms.CharField(label="整改措施", max_length=500, required=False)
    responsible = forms.CharField(label="责任人", max_length=100, required=False)
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE)
    department = forms.ModelChoiceField(
        Department.objects.none(),
        label="责任股室（不填则为学校）",
        required=False,
        empty_label="（学校自身）",
    )

    def __init__(self, county: Region, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(county=county)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """A row with measures, person, deadline or department but no problem is refused; a
        row with a problem but no deadline (整改时限) or no responsible person (责任人) is
        refused on that field."""
        cleaned = super().clean() or {}
        filled = any(cleaned.get(f) for f in ("measures", "responsible", "deadline", "department"))
        problem = (cleaned.get("problem") or "").strip()
        if filled and not problem:
            self.add_error("problem", "填写了整改措施等内容，但没有填写问题，请补上问题或清空本栏")
        if problem and not cleaned.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", "填写了问题，请同时填写整改时限")
        responsible = (cleaned.get("responsible") or "").strip()
        if problem and not responsible and "responsible" not in self.errors:
            self.add_error("responsible", "填写了问题，请同时填写责任人")
        return cleaned

    def has_problem(self) -> bool:
        return bool((self.cleaned_data.get("problem") or "").strip())

    def finding(self) -> FindingData:
        """The row as the services' FindingData (call after is_valid)."""
        data = self.cleaned_data
        return FindingData(
            problem=data["problem"],
            measures=data["measures"],
            deadline=data["deadline"],
            department=data["department"],
            responsible=data["responsible"],
        )


FINDING_FORMS = 5


def finding_forms(county: Region, data: Any = None) -> list[FindingForm]:
    return [FindingForm(county, data=data, prefix=f"f{n}") for n in range(FINDING_FORMS)]


class ReinspectionForm(forms.Form):
    scheduled = forms.DateField(label="复查日期", required=False, widget=DATE)


class VisitScheduleForm(forms.Form):
    month = forms.DateField(
        label="随访月份",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
