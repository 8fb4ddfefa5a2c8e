"""Which items a page shows: one school, one department, or a whole county.

Parameters `?institution=<pk>`, `?department=<pk>` or `?county=<pk>`, each fetched through the
scoped selectors (404 outside the user's scope); `?county=<pk>&department=office` is the
county-level items (owned by neither a school nor a department: the county office's). Without
parameters: the first county the user reads as a whole, else the user's own school, else the
user's own department.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404

from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import User
from dudao.rectification import selectors as sel

COUNTY, INSTITUTION, DEPARTMENT, OFFICE = "county", "institution", "department", "office"


@dataclass
class Scope:
    kind: str
    county: Region
    institution: Institution | None = None
    department: Department | None = None
    counties: list[Region] = field(default_factory=list)  # counties the user reads as a whole

    @property
    def office(self) -> bool:
        """Only the county-level items (the county office is responsible)."""
        return self.kind == OFFICE

    @property
    def label(self) -> str:
        if self.office:
            return office_label(self.county)
        if self.institution is not None:
            return self.institution.name
        if self.department is not None:
            return f"{self.county.name}{self.department.name}"
        return f"{self.county.name}（全县）"

    @property
    def query(self) -> str:
        """The scope as a query string, for links to the other pages of the same scope."""
        if self.institution is not None:
            return urlencode({"institution": self.institution.pk})
        if self.department is not None:
            return urlencode({"department": self.department.pk})
        if self.office:
            return urlencode({"county": self.county.pk, "department": OFFICE})
        return urlencode({"county": self.county.pk})

    @property
    def whole_county(self) -> bool:
        return any(c.pk == self.county.pk for c in self.counties)

    def institutions(self) -> list[Institution]:
        """Schools to choose from (only for users reading the county as a whole)."""
        if not self.whole_county:
            return []
        return list(Institution.objects.filter(county=self.county).order_by("code"))

    def departments(self) -> list[Department]:
        if not self.whole_county:
            return []
        return list(Department.objects.filter(county=self.county).order_by("name"))


def office_label(county: Region) -> str:
    """The county office as the unit of the county-level items, e.g.
    青川县人民政府教育督导室（县级事项）."""
    return f"{county.supervision_office}（县级事项）"


def resolve_scope(user: User, params: Mapping[str, str]) -> Scope:
    """The scope named by the parameters, or the user's default scope (see the docstring)."""
    counties = list(sel.rect_counties_for(user))
    if params.get("department") == OFFICE:
        county = sel.rect_county_for(user, _id(params, "county"))
        return Scope(OFFICE, county, counties=counties)
    if _id(params, "institution"):
        school = sel.institution_in_scope(user, _id(params, "institution"))
        return Scope(INSTITUTION, school.county, institution=school, counties=counties)
    if _id(params, "department"):
        department = sel.department_in_scope(user, _id(params, "department"))
        return Scope(DEPARTMENT, department.county, department=department, counties=counties)
    if _id(params, "county"):
        return Scope(COUNTY, sel.rect_county_for(user, _id(params, "county")), counties=counties)
    if counties:
        return Scope(COUNTY, counties[0], counties=counties)
    return _own_scope(user)


def _own_scope(user: User) -> Scope:
    """A user reading no county as a whole: the own school, else the own department."""
    own_schools = sel.own_institutions(user)
    if own_schools:
        return Scope(INSTITUTION, own_schools[0].county, institution=own_schools[0])
    own_departments = sel.own_departments(user)
    if own_departments:
        department = own_departments[0]
        return Scope(DEPARTMENT, department.county, department=department)
    raise Http404("没有可查看的整改事项")


def _id(params: Mapping[str, str], key: str) -> int:
    raw = params.get(key, "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise Http404
    return int(raw)
