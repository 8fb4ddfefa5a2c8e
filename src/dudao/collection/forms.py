"""Forms built from the framework's field catalogue, and the small action forms.

The forms only parse what the browser sends; the rules (numbers ≥ 0, integers, served levels,
required fields on submit) are checked by the services, whose per-field errors are put back on
the form with `add_service_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings

from dudao.collection.catalogue import BOOL, INTEGER, Column, columns_for, framework
from dudao.collection.models import Period
from dudao.engine.spec import available_frameworks
from dudao.orgs.models import Institution, Region

YES, NO = "True", "False"


def _value_field(column: Column) -> forms.Field:
    options: dict[str, Any] = {"label": column.title, "help_text": column.help, "required": False}
    if column.kind == BOOL:
        return forms.TypedChoiceField(
            choices=[("", "未填"), (YES, "是"), (NO, "否")],
            coerce=lambda v: v == YES,
            empty_value=None,
            **options,
        )
    if column.kind == INTEGER:
        return forms.IntegerField(min_value=0, **options)
    return forms.FloatField(min_value=0, **options)


class ValuesForm(forms.Form):
    """One field per column (label with unit, help text), grouped, plus the hidden version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, columns: dict[str, Column], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for key, column in columns.items():
            field = _value_field(column)
            field.widget.attrs["class"] = "value"
            self.fields[key] = field

    def values(self) -> dict[str, object]:
        """The parsed values of every column (None for blanks)."""
        return {key: self.cleaned_data.get(key) for key in self.columns}

    def add_service_errors(self, errors: Mapping[str, str]) -> None:
        for key, reason in errors.items():
            self.add_error(key if key in self.fields else None, reason)


class SchoolForm(ValuesForm):
    """A school's figures: only the level columns of the levels the school serves."""

    def __init__(self, period: Period, institution: Institution, *args: Any, **kwargs: Any):
        super().__init__(columns_for(period, institution), *args, **kwargs)


class CountyItemsForm(ValuesForm):
    """The county's items and veto questions: numbers and yes/no answers."""

    def __init__(self, period: Period, *args: Any, **kwargs: Any) -> None:
        super().__init__(columns_for(period, None), *args, **kwargs)


def initial_of(values: Mapping[str, object], version: int) -> dict[str, object]:
    """Form initial data from stored values (yes/no as the select's option values)."""
    shown = {k: (YES if v else NO) if isinstance(v, bool) else v for k, v in values.items()}
    return {**shown, "version": version}


class EvidenceForm(forms.Form):
    """An evidence file for one county item."""

    field = forms.ChoiceField(label="对应指标")
    file = forms.FileField(label="文件")

    def __init__(self, columns: dict[str, Column], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(c.key, c.label) for c in columns.values()]
        limit = settings.EVIDENCE_MAX_BYTES / 1024 / 1024
        kinds = "、".join(settings.EVIDENCE_EXTENSIONS)
        self.fields["file"].help_text = f"不超过 {limit:g} MB；类型：{kinds}"


class ReturnForm(forms.Form):
    """Return with a general comment and a comment per field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    general = forms.CharField(label="总体意见", required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, columns: dict[str, Column], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for key, column in columns.items():
            self.fields[f"comment_{key}"] = forms.CharField(
                label=f"对“{column.label}”的意见", required=False, max_length=500
            )

    def comments(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"comment_{k}") or "" for k in self.columns}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新打开的原因", widget=forms.Textarea({"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label="县级工作簿（.xlsx 或 .csv）")


class PeriodOpenForm(forms.Form):
    """Open a period: one of the counties the user manages, a name and a framework."""

    county = forms.ModelChoiceField(label="区县", queryset=Region.objects.none())
    name = forms.CharField(label="名称", max_length=50, help_text="如“2026学年”")
    framework = forms.ChoiceField(label="指标体系")

    def __init__(self, counties: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["framework"].choices = [
            (code, f"{framework(code).title}（{code}）") for code in available_frameworks()
        ]
