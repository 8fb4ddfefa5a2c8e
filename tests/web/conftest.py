"""The shared cast of the web tests: two counties of one city, their schools and people.

Use the `cast` fixture: `cast.clerk_a` fills school A's figures, `cast.clerk_b` those of school
B (same county), `cast.supervisor` runs 青川县, `cast.other_supervisor` runs 河西区 (the other
county), `cast.city_reviewer` reviews both, `cast.leader` reads 青川县, `cast.department_head`
works in a 青川县 department (教育股), `cast.other_department_head` in another one (人事股),
`cast.inspector` is an inspector (督学) of 青川县, `cast.other_inspector` of 河西区,
`cast.nobody` has an account but no role.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dudao.collection.models import Period
from dudao.orgs.choices import RegionLevel, Role
from dudao.orgs.models import Department, Institution, Membership, Region

PASSWORD = "demo-pass-123"


@dataclass
class Cast:
    province: Region
    city: Region
    county: Region
    other_county: Region
    township: Region
    school_a: Institution
    school_b: Institution
    school_c: Institution  # in the other county
    department: Department
    other_department: Department  # same county
    period: Period
    other_period: Period
    admin: User
    supervisor: User
    other_supervisor: User
    city_reviewer: User
    leader: User
    department_head: User
    other_department_head: User
    inspector: User
    other_inspector: User
    clerk_a: User
    principal_a: User
    clerk_b: User
    clerk_c: User
    nobody: User


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Tests create many users; PBKDF2's deliberate slowness is for production only."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, name: str, role: str | None = None, **scope: object) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=name)
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    province = Region.objects.create(name="示例省", code="510000", level=RegionLevel.PROVINCE)
    city = Region.objects.create(
        name="示例市", code="510800", level=RegionLevel.CITY, parent=province
    )
    county = Region.objects.create(
        name="青川县", code="510822", level=RegionLevel.COUNTY, parent=city
    )
    other = Region.objects.create(
        name="河西区", code="510802", level=RegionLevel.COUNTY, parent=city
    )
    town = Region.objects.create(
        name="石桥镇", code="510822101", level=RegionLevel.TOWNSHIP, parent=county
    )
    school_a = Institution.objects.create(
        code="2151000001",
        name="石桥镇中心小学",
        school_type="小学",
        ownership="公办",
        area_type="镇区",
        county=county,
        township=town,
    )
    school_b = Institution.objects.create(
        code="2151000002",
        name="城关第一初级中学",
        school_type="初中",
        ownership="公办",
        area_type="城区",
        county=county,
    )
    school_c = Institution.objects.create(
        code="2151000003",
        name="河西第一小学",
        school_type="小学",
        ownership="公办",
        area_type="城区",
        county=other,
    )
    department = Department.objects.create(name="教育股", county=county)
    other_department = Department.objects.create(name="人事股", county=county)
    period = Period.objects.create(county=county, name="2026学年", framework="yzjh-2017")
    other_period = Period.objects.create(county=other, name="2026学年", framework="yzjh-2017")
    admin = User.objects.create_superuser("admin", password=PASSWORD, first_name="管理员")
    return Cast(
        province=province,
        city=city,
        county=county,
        other_county=other,
        township=town,
        school_a=school_a,
        school_b=school_b,
        school_c=school_c,
        department=department,
        other_department=other_department,
        period=period,
        other_period=other_period,
        admin=admin,
        supervisor=_user("supervisor", "督导室王", Role.SUPERVISOR, region=county),
        other_supervisor=_user("other_supervisor", "河西督导", Role.SUPERVISOR, region=other),
        city_reviewer=_user("city_reviewer", "市复核李", Role.CITY_REVIEWER, region=city),
        leader=_user("leader", "局长赵", Role.LEADER, region=county),
        department_head=_user(
            "department_head", "教育股长", Role.DEPARTMENT, department=department
        ),
        other_department_head=_user(
            "other_department_head", "人事股长", Role.DEPARTMENT, department=other_department
        ),
        inspector=_user("inspector", "责任督学孙", Role.INSPECTOR, region=county),
        other_inspector=_user("other_inspector", "河西督学", Role.INSPECTOR, region=other),
        clerk_a=_user("clerk_a", "小学填报员", Role.SCHOOL_CLERK, institution=school_a),
        principal_a=_user("principal_a", "小学校长", Role.PRINCIPAL, institution=school_a),
        clerk_b=_user("clerk_b", "初中填报员", Role.SCHOOL_CLERK, institution=school_b),
        clerk_c=_user("clerk_c", "河西填报员", Role.SCHOOL_CLERK, institution=school_c),
        nobody=_user("nobody", "无角色用户"),
    )


# ---------------------------------------------------------------- browser tests
# Playwright driving Debian's Chromium (/usr/bin/chromium); no browser download.
# Playwright's sync API runs an event loop; the Django ORM must be allowed beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# Marks of every browser test module: `pytestmark = BROWSER_TEST`.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="需要 Debian 的 chromium（apt-get install chromium）"
    ),
]


def log_in(page: Any, base: str, username: str) -> None:
    """Log a Playwright page in through the log-in form (every cast member has PASSWORD)."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def client_for(user: User) -> Client:
    """A new test client, logged in through the log-in check as `user` (password PASSWORD)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Client]:
    """The test client, logged in as the given user."""

    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)
