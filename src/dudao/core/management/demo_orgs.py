"""The demo organisation: regions, institutions, departments and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from dudao.orgs.choices import RegionLevel, Role
from dudao.orgs.models import Department, Institution, Membership, Region

DEMO_PASSWORD = "dudao-demo"
PROVINCE = ("示例省", "990000")
CITY = ("示例市", "990100")
DEPARTMENTS = ("办公室", "教育股", "人事股", "计划财务股", "安全股", "督导室")


@dataclass(frozen=True)
class Account:
    """A demo account as printed for the person giving the demo."""

    role: str
    username: str
    name: str
    scope: str


@dataclass
class DemoOrg:
    """What the demo organisation is made of, for the collection part to build on."""

    city: Region
    counties: list[Region]
    institutions: dict[str, list[Institution]]  # county name → institutions in frame order
    departments: dict[tuple[str, str], Department]  # (county name, department name)


def build_org(frame: pl.DataFrame) -> DemoOrg:
    """Province → city → the frame's counties, their townships, institutions and departments."""
    province = Region.objects.create(name=PROVINCE[0], code=PROVINCE[1], level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        name=CITY[0], code=CITY[1], level=RegionLevel.CITY, parent=province
    )
    names = list(dict.fromkeys(frame["county"].to_list()))
    counties = Region.objects.bulk_create(
        Region(
            name=name,
            code=f"{CITY[1][:4]}{i:02d}",
            level=RegionLevel.COUNTY,
            parent=city,
            bureau_name=f"{name}教育体育局",
        )
        for i, name in enumerate(names, start=1)
    )
    by_name = {c.name: c for c in counties}
    townships = _townships(frame, by_name)
    return DemoOrg(
        city=city,
        counties=counties,
        institutions=_institutions(frame, by_name, townships),
        departments=_departments(counties),
    )


def _townships(frame: pl.DataFrame, counties: dict[str, Region]) -> dict[tuple[str, str], Region]:
    pairs = list(dict.fromkeys(zip(frame["county"], frame["township"], strict=True)))
    numbers: dict[str, int] = {}
    towns: list[Region] = []
    for county, town in pairs:
        numbers[county] = numbers.get(county, 0) + 1
        parent = counties[county]
        code = f"{parent.code}{numbers[county]:03d}"
        towns.append(Region(name=town, code=code, level=RegionLevel.TOWNSHIP, parent=parent))
    created = Region.objects.bulk_create(towns)
    return {(t.parent.name, t.name): t for t in created}  # type: ignore[union-attr]


def _institutions(
    frame: pl.DataFrame, counties: dict[str, Region], towns: dict[tuple[str, str], Region]
) -> dict[str, list[Institution]]:
    rows = [
        Institution(
            code=row["school_code"],
            name=row["school_name"],
            school_type=row["school_type"],
            ownership=row["ownership"],
            area_type=row["area_type"],
            county=counties[row["county"]],
            township=towns[(row["county"], row["township"])],
        )
        for row in frame.iter_rows(named=True)
    ]
    result: dict[str, list[Institution]] = {name: [] for name in counties}
    for institution in Institution.objects.bulk_create(rows):
        result[institution.county.name].append(institution)
    return result


def _departments(counties: list[Region]) -> dict[tuple[str, str], Department]:
    created = Department.objects.bulk_create(
        Department(name=name, county=county) for county in counties for name in DEPARTMENTS
    )
    return {(d.county.name, d.name): d for d in created}


# The demo people: user name, name, role (the scope follows from the role).
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("demo_admin", "系统管理员", Role.ADMIN),
    ("demo_supervisor", "张督导", Role.SUPERVISOR),
    ("demo_leader", "王局长", Role.LEADER),
    ("demo_department", "李股长", Role.DEPARTMENT),
    ("demo_clerk", "陈老师", Role.SCHOOL_CLERK),
    ("demo_principal", "刘校长", Role.PRINCIPAL),
    ("demo_city", "周科长", Role.CITY_REVIEWER),
    ("demo_inspector", "孙督学", Role.INSPECTOR),
)


def _scope(role: str, org: DemoOrg, school: Institution) -> tuple[dict[str, object], str]:
    """The membership scope of a demo role, and how it is printed."""
    county = org.counties[0]
    if role in (Role.SUPERVISOR, Role.LEADER, Role.INSPECTOR):
        return {"region": county}, county.name
    if role == Role.DEPARTMENT:
        return {"department": org.departments[(county.name, "教育股")]}, f"{county.name} · 教育股"
    if role in (Role.SCHOOL_CLERK, Role.PRINCIPAL):
        return {"institution": school}, f"{county.name} · {school.name}"
    if role == Role.CITY_REVIEWER:
        return {"region": org.city}, f"{org.city.name}（全部区县）"
    return {}, "全部（超级用户）"


def build_accounts(org: DemoOrg, school: Institution) -> tuple[dict[str, User], list[Account]]:
    """One account per role, all with the demo password; the clerk and principal of the school."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo must load in seconds
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=name,
            password=password,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        for username, name, role in PEOPLE
    )
    scopes = [_scope(role, org, school) for _u, _n, role in PEOPLE]
    Membership.objects.bulk_create(
        Membership(user=user, role=role, **scope)
        for user, (_u, _n, role), (scope, _text) in zip(users, PEOPLE, scopes, strict=True)
    )
    accounts = [
        Account(Role(role).label, username, name, text)
        for (username, name, role), (_scope_, text) in zip(PEOPLE, scopes, strict=True)
    ]
    return {u.username: u for u in users}, accounts
