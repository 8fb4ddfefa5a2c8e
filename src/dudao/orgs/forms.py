"""Forms of the organisation app: the institution filter, the import upload, a new person."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q, QuerySet

from dudao.orgs.choices import INSTITUTION_ROLES, AreaType, Ownership, RegionLevel, Role, SchoolType
from dudao.orgs.imports import SUFFIXES
from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.people import COUNTY_GRANTABLE

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_ALL = [("", "全部")]


class InstitutionFilterForm(forms.Form):
    """Search and filters of the institution list (GET parameters)."""

    q = forms.CharField(label="搜索", required=False, max_length=100)
    county = forms.ModelChoiceField(
        label="区县", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    township = forms.ModelChoiceField(
        label="乡镇（街道）", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    school_type = forms.ChoiceField(
        label="学校类型", choices=_ALL + SchoolType.choices, required=False
    )
    ownership = forms.ChoiceField(
        label="办学性质", choices=_ALL + Ownership.choices, required=False
    )
    area_type = forms.ChoiceField(label="城乡类别", choices=_ALL + AreaType.choices, required=False)

    def __init__(self, data: object, institutions: QuerySet[Institution], counties: list[Region]):
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["q"].widget.attrs["placeholder"] = "学校名称或标识码"
        self.fields["county"].queryset = Region.objects.filter(pk__in=[c.pk for c in counties])
        self.show_county = len(counties) > 1
        self.fields["township"].queryset = Region.objects.filter(
            level=RegionLevel.TOWNSHIP, pk__in=institutions.values("township_id")
        ).order_by("parent__code", "code")

    def apply(self, institutions: QuerySet[Institution]) -> QuerySet[Institution]:
        """The institutions that match the valid filters (invalid ones are ignored)."""
        self.is_valid()
        data = self.cleaned_data
        if text := data.get("q"):
            institutions = institutions.filter(Q(name__icontains=text) | Q(code__icontains=text))
        for name in ("county", "township", "school_type", "ownership", "area_type"):
            if value := data.get(name):
                institutions = institutions.filter(**{name: value})
        return institutions


class InstitutionImportForm(forms.Form):
    """The institution list to import (.xlsx or .csv)."""

    file = forms.FileField(label="学校名单文件（.xlsx 或 .csv）")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError("不支持的文件类型，请上传 .xlsx 或 .csv 文件")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件不能超过 5 MB")
        return upload


class UserCreateForm(forms.Form):
    """A new person of the county, with one role and its scope."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录时使用，只能包含字母、数字和 @/./+/-/_",
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    role = forms.ChoiceField(label="角色")
    institution = forms.ModelChoiceField(
        label="学校",
        queryset=Institution.objects.none(),
        required=False,
        help_text="学校填报员、校长必选",
    )
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False, help_text="科室人员必选"
    )

    def __init__(self, data: object, county: Region) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["role"].choices = [(r, Role(r).label) for r in COUNTY_GRANTABLE]
        self.fields["institution"].queryset = Institution.objects.filter(county=county)
        self.fields["department"].queryset = Department.objects.filter(county=county)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        role = data.get("role")
        if role in INSTITUTION_ROLES and not data.get("institution"):
            self.add_error("institution", "学校填报员和校长须选择所在学校")
        if role == Role.DEPARTMENT and not data.get("department"):
            self.add_error("department", "科室人员须选择所在科室")
        return data
