"""Enumerations of the organisation app."""

from django.db import models

from dudao.engine.schooltypes import OWNERSHIPS, SCHOOL_TYPES


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "区县"
    TOWNSHIP = "township", "乡镇（街道）"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    SUPERVISOR = "supervisor", "县督导室"
    DEPARTMENT = "department", "科室人员"
    SCHOOL_CLERK = "school_clerk", "学校填报员"
    PRINCIPAL = "principal", "校长"
    LEADER = "leader", "局领导"
    CITY_REVIEWER = "city_reviewer", "市级复核人员"
    INSPECTOR = "inspector", "督学"


class AreaType(models.TextChoices):
    URBAN = "城区", "城区"
    TOWN = "镇区", "镇区"
    RURAL = "乡村", "乡村"


SchoolType = models.TextChoices("SchoolType", [(t, t) for t in SCHOOL_TYPES])
Ownership = models.TextChoices("Ownership", [(o, o) for o in OWNERSHIPS])

# Roles whose scope is one institution, one department, one county, one city.
INSTITUTION_ROLES = (Role.SCHOOL_CLERK, Role.PRINCIPAL)
COUNTY_ROLES = (Role.SUPERVISOR, Role.LEADER)
READ_ONLY_ROLES = (Role.LEADER,)
