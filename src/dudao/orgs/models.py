"""Regions, institutions, departments and memberships (who acts where, in which role)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dudao.engine.schooltypes import levels_of
from dudao.orgs.choices import AreaType, Ownership, RegionLevel, Role, SchoolType


class Region(models.Model):
    """A node of the region tree: province → city → county → township."""

    name = models.CharField("名称", max_length=100)
    code = models.CharField("行政区划代码", max_length=20, unique=True)
    level = models.CharField("级别", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    bureau_name = models.CharField(
        "教育行政部门名称",
        max_length=100,
        blank=True,
        help_text="县（区）教育行政部门的全称，如“青川县教育体育局”；不填则为“县名＋教育局”",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=RegionLevel.values), name="region_level_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bureau(self) -> str:
        """The education bureau as documents name it: the stored name, else 县名＋教育局."""
        return self.bureau_name or f"{self.name}教育局"

    @property
    def supervision_office(self) -> str:
        """The county's education supervision office as documents name it (one name everywhere)."""
        return f"{self.name}人民政府教育督导室"


class Institution(models.Model):
    """A school or kindergarten (学校/幼儿园) of a county."""

    code = models.CharField("学校标识码", max_length=20, unique=True)
    name = models.CharField("学校名称", max_length=100)
    school_type = models.CharField("学校类型", max_length=20, choices=SchoolType.choices)
    ownership = models.CharField("办学性质", max_length=4, choices=Ownership.choices)
    area_type = models.CharField("城乡类别", max_length=4, choices=AreaType.choices, blank=True)
    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="institutions"
    )
    township = models.ForeignKey(
        Region,
        verbose_name="乡镇（街道）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="township_institutions",
    )

    class Meta:
        ordering = ["county__code", "code"]
        verbose_name = verbose_name_plural = "学校"

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> tuple[str, ...]:
        """Levels (学段) the institution serves, from its type."""
        return levels_of(self.school_type)


class Department(models.Model):
    """A department (科室/股室) of a county bureau."""

    name = models.CharField("名称", max_length=50)
    county = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="departments"
    )

    class Meta:
        ordering = ["county__code", "name"]
        verbose_name = verbose_name_plural = "科室"
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="department_unique_per_county")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role and the scope it applies to (a county, city, institution or department)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name="区县或市", null=True, blank=True, on_delete=models.PROTECT
    )
    institution = models.ForeignKey(
        Institution, verbose_name="学校", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name="科室", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = verbose_name_plural = "角色"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
