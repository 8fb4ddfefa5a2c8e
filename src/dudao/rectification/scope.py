"""Which items a page shows: one school, one department, or a whole county.

Parameters `?institution=<pk>`, `?department=<pk>` or `?county=<pk>`, each fetched through the
scoped selectors (404 outside the user's scope). Without parameters: the first county the user
reads as a whole, else the user's own school, else the user's own department.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404

from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import User
from dudao.rectification import selectors as sel

COUNTY, INSTITUTION, DEPARTMENT = "county", "institution", "department"


@dataclass
class Scope:
    kind: str
    county: Region
    institution: Institution | None = None
    department: Department | None = None
    counties: list[Region] = field(default_factory=list)  # counties the user reads as a whole

    @property
    def label(self) -> str:
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


def resolve_scope(user: User, params: Mapping[str, str]) -> Scope:
    """The scope named by the parameters, or the user's default scope (see the docstring)."""
    counties = list(sel.rect_counties_for(user))
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
