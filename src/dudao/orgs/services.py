"""Writes of the organisation app: the institution import, and the people and roles of a county.

Each function checks the actor's right first, validates, and runs in one transaction. The app has
no history model; every write is logged on the ``dudao.orgs`` logger instead.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dudao.orgs.choices import INSTITUTION_ROLES, RegionLevel, Role
from dudao.orgs.imports import ImportRejected, InstitutionRow, RowError, checked_rows
from dudao.orgs.models import Department, Institution, Membership, Region
from dudao.orgs.people import COUNTY_GRANTABLE, county_of, managed_counties, outside_counties
from dudao.orgs.selectors import User, can_manage_county, is_admin

__all__ = [
    "ImportRejected",
    "ImportSummary",
    "RowError",
    "institutions_import",
    "membership_remove",
    "password_reset",
    "user_create",
]

logger = logging.getLogger("dudao.orgs")

_PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
_PASSWORD_LENGTH = 12
_INSTITUTION_FIELDS = ("name", "school_type", "ownership", "area_type", "township")


def _require_manager(actor: User, county: Region | None) -> None:
    if county is None or not can_manage_county(actor, county):
        raise PermissionDenied("只有本县督导室或系统管理员可以进行此操作")


# ---------------------------------------------------------------- institution import


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed."""

    created: int
    updated: int
    unchanged: int
    townships: list[str] = field(default_factory=list)


@transaction.atomic
def institutions_import(
    actor: User, county: Region, filename: str, content: bytes
) -> ImportSummary:
    """Create or update the county's institutions from a list; all or nothing.

    Raises ImportRejected (listing every error) without saving anything when the file has errors.
    Townships named in the file that the county does not have yet are created.
    """
    _require_manager(actor, county)
    rows = checked_rows(filename, content, county)
    townships, created_towns = _ensure_townships(county, {r.township for r in rows if r.township})
    summary = _upsert_institutions(county, rows, townships, created_towns)
    logger.info("%s imported institutions of %s: %s", actor, county, summary)
    return summary


def _ensure_townships(county: Region, names: set[str]) -> tuple[dict[str, Region], list[str]]:
    existing = {r.name: r for r in Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP)}
    missing = sorted(names - existing.keys())
    codes = _free_codes(county, len(missing))
    created = Region.objects.bulk_create(
        Region(name=name, code=code, level=RegionLevel.TOWNSHIP, parent=county)
        for name, code in zip(missing, codes, strict=True)
    )
    return existing | {r.name: r for r in created}, missing


def _free_codes(county: Region, count: int) -> list[str]:
    """Township codes: the county's code and a three-digit number not used yet."""
    used = set(Region.objects.filter(code__startswith=county.code).values_list("code", flat=True))
    codes: list[str] = []
    number = 1
    while len(codes) < count:
        code = f"{county.code}{number:03d}"
        if code not in used:
            codes.append(code)
        number += 1
    return codes


def _upsert_institutions(
    county: Region, rows: list[InstitutionRow], townships: dict[str, Region], towns: list[str]
) -> ImportSummary:
    existing = {
        i.code: i
        for i in Institution.objects.filter(county=county, code__in=[r.code for r in rows])
    }
    new: list[Institution] = []
    changed: list[Institution] = []
    for row in rows:
        values = {
            "name": row.name,
            "school_type": row.school_type,
            "ownership": row.ownership,
            "area_type": row.area_type,
            "township": townships.get(row.township),
        }
        institution = existing.get(row.code)
        if institution is None:
            new.append(Institution(code=row.code, county=county, **values))
        elif _apply(institution, values):
            changed.append(institution)
    Institution.objects.bulk_create(new)
    Institution.objects.bulk_update(changed, _INSTITUTION_FIELDS)
    unchanged = len(rows) - len(new) - len(changed)
    return ImportSummary(len(new), len(changed), unchanged, towns)


def _apply(institution: Institution, values: dict[str, object]) -> bool:
    """Set the values on the institution; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(institution, name) != value:
            setattr(institution, name, value)
            changed = True
    return changed


# ---------------------------------------------------------------- people and roles


def new_password() -> str:
    """A random initial password without look-alike characters (shown to the manager once)."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(_PASSWORD_LENGTH))


def _scope(
    county: Region, role: str, institution: Institution | None, department: Department | None
) -> dict[str, object]:
    """The membership scope of a role inside the county; ValidationError if it lies outside."""
    if role not in COUNTY_GRANTABLE:
        raise ValidationError({"role": "不能在本页授予这个角色"})
    if role in INSTITUTION_ROLES:
        if institution is None or institution.county_id != county.pk:
            raise ValidationError({"institution": "请选择本县的一所学校"})
        return {"institution": institution}
    if role == Role.DEPARTMENT:
        if department is None or department.county_id != county.pk:
            raise ValidationError({"department": "请选择本县的一个科室"})
        return {"department": department}
    return {"region": county}  # a county role (COUNTY_ROLES): the county itself


@transaction.atomic
def user_create(
    actor: User,
    county: Region,
    *,
    username: str,
    full_name: str,
    role: str,
    institution: Institution | None = None,
    department: Department | None = None,
) -> tuple[AbstractBaseUser, str]:
    """Create a person with one role in the county; returns the user and the initial password."""
    _require_manager(actor, county)
    scope = _scope(county, role, institution, department)
    users = get_user_model()
    if users.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用"})
    password = new_password()
    user = users.objects.create_user(username=username, password=password, first_name=full_name)
    Membership.objects.create(user=user, role=role, **scope)
    logger.info("%s created user %s as %s in %s", actor, username, role, county)
    return user, password


@transaction.atomic
def password_reset(actor: User, person: AbstractBaseUser) -> str:
    """Give the person a new random password; returns it (to be shown once)."""
    if person.pk == getattr(actor, "pk", None):
        raise ValidationError("不能在这里重置自己的密码")
    if not is_admin(actor):
        counties = managed_counties(actor)
        if not counties or outside_counties(person, counties):
            raise PermissionDenied("该用户的角色超出您管理的区县，请联系系统管理员")
    password = new_password()
    person.set_password(password)
    person.save(update_fields=["password"])
    logger.info("%s reset the password of %s", actor, person)
    return password


@transaction.atomic
def membership_remove(actor: User, membership: Membership) -> None:
    """Remove one role of a person of the county (never one's own)."""
    _require_manager(actor, county_of(membership))
    if membership.role not in COUNTY_GRANTABLE:
        raise PermissionDenied("不能在本页删除这个角色")
    if membership.user_id == getattr(actor, "pk", None):
        raise ValidationError("不能删除自己的角色")
    logger.info("%s removed %s", actor, membership)
    membership.delete()
