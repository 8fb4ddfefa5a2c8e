"""Forms of the rectification pages: they parse what the browser sends; services check the rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dudao.orgs.models import Department, Institution, Region
from dudao.rectification.choices import DEFAULT_MEASURES, MANUAL_SOURCES


def date_input() -> forms.DateInput:
    """A browser date picker; its value must be ISO (the zh-hans locale would write 2026/12/31)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """Put a service's per-field reasons back on the form."""

    fields: dict[str, forms.Field]

    def add_service_errors(self, errors: Mapping[str, str]) -> None:
        for key, reason in errors.items():
            self.add_error(key if key in self.fields else None, reason)  # type: ignore[attr-defined]


NOTE_LABELS = {
    "respond": "整改情况",
    "verify": "核验意见",
    "return": "退回原因",
    "reopen": "重新打开的原因",
}


class NoteForm(ServiceErrorsMixin, forms.Form):
    """A transition with a note (respond, verify, return, reopen) and the version seen."""

    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{action}_%s")  # several note forms on one page
        super().__init__(*args, **kwargs)
        self.fields["note"].label = NOTE_LABELS[action]


class EditForm(ServiceErrorsMixin, forms.Form):
    """The county office edits measures, responsible person and deadline."""

    measures = forms.CharField(
        label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = forms.CharField(label="责任人", max_length=100, required=False)
    deadline = forms.DateField(
        label="整改时限", widget=date_input(), error_messages={"required": "请填写整改时限"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def not_past(value: date) -> date:
    """A new item's deadline: today or later (a deadline already passed is a typing mistake)."""
    today = timezone.localdate()
    if value < today:
        raise forms.ValidationError(
            f"整改时限 {value:%Y-%m-%d} 已过（今天是 {today:%Y-%m-%d}），请填写今天或以后的日期"
        )
    return value


class ItemForm(ServiceErrorsMixin, forms.Form):
    """An item registered by hand by the county office (a complaint, a leader's instruction)."""

    county = forms.ModelChoiceField(label="区县", queryset=Region.objects.none(), empty_label=None)
    source = forms.ChoiceField(
        label="问题来源", choices=[(s.value, s.label) for s in MANUAL_SOURCES]
    )
    source_label = forms.CharField(
        label="来源说明", max_length=200, required=False, help_text="如“12345热线 11月18日来电”"
    )
    institution = forms.ModelChoiceField(
        label="责任学校", queryset=Institution.objects.none(), required=False, empty_label="（无）"
    )
    department = forms.ModelChoiceField(
        label="责任科室", queryset=Department.objects.none(), required=False, empty_label="（无）"
    )
    problem = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = forms.CharField(label="责任人", max_length=100, required=False)
    deadline = forms.DateField(
        label="整改时限", widget=date_input(), error_messages={"required": "请填写整改时限"}
    )

    def __init__(self, counties: QuerySet[Region], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties  # type: ignore[attr-defined]
        self.fields["institution"].queryset = Institution.objects.filter(  # type: ignore[attr-defined]
            county__in=counties
        )
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            county__in=counties
        )

    def clean_deadline(self) -> date:
        return not_past(self.cleaned_data["deadline"])


class FromRunForm(forms.Form):
    """The deadline and responsible person given to every item generated from an evaluation
    run (both required), and the measures of the items without measures of their own."""

    deadline = forms.DateField(
        label="整改时限",
        widget=date_input(),
        error_messages={"required": "请填写整改时限：生成的整改事项都需要明确时限"},
    )
    responsible = forms.CharField(
        label="责任人",
        max_length=100,
        error_messages={"required": "请填写责任人：生成的整改事项都需要明确责任人"},
    )
    measures = forms.CharField(
        label="整改措施",
        max_length=500,
        required=False,
        help_text=f"用于没有具体措施的事项（如县级指标）；不填则为“{DEFAULT_MEASURES}”",
    )

    def clean_deadline(self) -> date:
        return not_past(self.cleaned_data["deadline"])
