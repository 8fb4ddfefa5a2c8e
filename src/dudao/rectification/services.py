"""Every write of the rectification app: one atomic, validating function per action.

Each function checks the actor's permission (PermissionDenied), the item's state
(RectificationError with a Chinese message) and the version the actor saw (StaleEdit), then
writes and records a `RectificationEvent` (who, when, status from → to, note).

    待整改 --respond--> 已反馈 --verify--> 已核验销号
       ^                  |                  |
       +----return--------+                  |
       +----reopen---------------------------+
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dudao.core.uploads import content_mismatch
from dudao.orgs.models import Department, Institution, Region
from dudao.orgs.selectors import User, can_manage_county
from dudao.rectification.choices import EventAction, RectificationSource, RectificationStatus
from dudao.rectification.errors import RectificationError, StaleEdit
from dudao.rectification.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    RectificationNotice,
)
from dudao.rectification.numbers import NUMBER_MAX, next_sequence, prefix_of
from dudao.rectification.selectors import (
    can_create,
    can_edit,
    can_respond,
    issued_number,
)
from dudao.rectification.verifiers import verify_refusal

__all__ = [
    "RectificationError",
    "StaleEdit",
    "notice_issue",
    "rectification_create",
    "rectification_reopen",
    "rectification_respond",
    "rectification_return",
    "rectification_update",
    "rectification_verify",
]

MAX_FILES = 10


@transaction.atomic
def rectification_create(
    user: User,
    *,
    county: Region,
    source: str,
    source_key: str,
    source_label: str,
    problem: str,
    institution: Institution | None = None,
    department: Department | None = None,
    measures: str = "",
    responsible: str = "",
    deadline: date | None = None,
    now: datetime | None = None,
) -> tuple[Rectification, bool]:
    """Register an item; (item, created).

    Idempotent on (county, source_key): an existing item with that key is returned unchanged with
    created=False. An empty `source_key` (items registered by hand) is never de-duplicated.
    Allowed for the county office and the county's inspectors.
    """
    _require(can_create(user, county), "只有县督导室或本县督学可以登记整改事项")
    source_key = source_key.strip()
    if source_key:
        existing = Rectification.objects.filter(county=county, source_key=source_key).first()
        if existing is not None:
            return existing, False
    _check_new(county, source, problem, institution, department)
    at = now or timezone.now()
    item = Rectification(
        county=county,
        institution=institution,
        department=department,
        source=source,
        source_key=source_key,
        source_label=source_label.strip()[:200],
        problem=problem.strip(),
        measures=measures.strip(),
        responsible=responsible.strip()[:100],
        deadline=deadline,
        created_at=at,
        updated_at=at,
        created_by=_actor(user),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # registered meanwhile by someone else with the same key
        return Rectification.objects.get(county=county, source_key=source_key), False
    _record(item, user, EventAction.CREATE, before="", note=item.source_label, at=at)
    return item, True


def _check_new(
    county: Region,
    source: str,
    problem: str,
    institution: Institution | None,
    department: Department | None,
) -> None:
    errors: dict[str, str] = {}
    if source not in RectificationSource.values:
        errors["source"] = "问题来源不正确"
    if not problem.strip():
        errors["problem"] = "请填写问题"
    if institution is not None and department is not None:
        errors["department"] = "责任单位只能是一所学校或一个科室，不能同时选择"
    if institution is not None and institution.county_id != county.pk:
        errors["institution"] = "该学校不属于本区县"
    if department is not None and department.county_id != county.pk:
        errors["department"] = "该科室不属于本区县"
    if errors:
        raise RectificationError(next(iter(errors.values())), errors)


# ---------------------------------------------------------------- transitions


@transaction.atomic
def rectification_respond(
    user: User,
    item: Rectification,
    *,
    note: str,
    version: int,
    files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Rectification:
    """The responsible side reports what was done (with evidence files): 待整改 → 已反馈."""
    item = _locked(item)
    _require(can_respond(user, item), "只有责任单位可以反馈整改情况")
    _require_version(item, version)
    _require_status(item, RectificationStatus.OPEN, "只有“待整改”的事项可以反馈整改情况")
    note = _required(note, "note", "请填写整改情况说明")
    if len(files) > MAX_FILES:
        raise RectificationError(f"每次最多上传 {MAX_FILES} 个文件", {"files": "文件过多"})
    for uploaded in files:
        check_file(uploaded)
    at = now or timezone.now()
    item.response = note
    event = _move(item, user, EventAction.RESPOND, RectificationStatus.RESPONDED, note=note, now=at)
    for uploaded in files:
        RectificationFile.objects.create(
            rectification=item,
            event=event,
            file=uploaded,
            name=Path(uploaded.name or "").name[:200],
            size=uploaded.size or 0,
            uploaded_by=user,
            uploaded_at=at,
        )
    return item


@transaction.atomic
def rectification_verify(
    user: User, item: Rectification, *, note: str, version: int, now: datetime | None = None
) -> Rectification:
    """An inspector or the office verifies the response and closes the item: 已反馈 → 已核验销号."""
    item = _locked(item)
    _require_verifier(user, item)
    _require_version(item, version)
    _require_status(item, RectificationStatus.RESPONDED, "只有“已反馈”的事项可以核验销号")
    note = _required(note, "note", "请填写核验意见")
    _move(item, user, EventAction.VERIFY, RectificationStatus.CLOSED, note=note, now=now)
    return item


@transaction.atomic
def rectification_return(
    user: User, item: Rectification, *, reason: str, version: int, now: datetime | None = None
) -> Rectification:
    """Return an unsatisfactory response for rework (退回重改): 已反馈 → 待整改."""
    item = _locked(item)
    _require_verifier(user, item)
    _require_version(item, version)
    _require_status(item, RectificationStatus.RESPONDED, "只有“已反馈”的事项可以退回重改")
    reason = _required(reason, "reason", "请填写退回原因")
    _move(item, user, EventAction.RETURN, RectificationStatus.OPEN, note=reason, now=now)
    return item


@transaction.atomic
def rectification_reopen(
    user: User, item: Rectification, *, reason: str, version: int, now: datetime | None = None
) -> Rectification:
    """Reopen a closed item (the problem came back): 已核验销号 → 待整改, recorded with a reason."""
    item = _locked(item)
    _require_verifier(user, item)
    _require_version(item, version)
    _require_status(item, RectificationStatus.CLOSED, "只有“已核验销号”的事项可以重新打开")
    reason = _required(reason, "reason", "请填写重新打开的原因")
    _move(item, user, EventAction.REOPEN, RectificationStatus.OPEN, note=reason, now=now)
    return item


@transaction.atomic
def rectification_update(
    user: User,
    item: Rectification,
    *,
    measures: str,
    responsible: str,
    deadline: date | None,
    version: int,
    now: datetime | None = None,
) -> Rectification:
    """The county office edits measures, responsible person and deadline (not of closed items)."""
    item = _locked(item)
    _require(can_edit(user, item), "只有县督导室可以修改整改措施、责任人和时限")
    _require_version(item, version)
    if item.is_closed:
        raise RectificationError("已核验销号的事项不能修改；如需修改，请先重新打开")
    if deadline is None:  # the four lists need a 时限 for every item; it is never cleared
        raise RectificationError("请填写整改时限", {"deadline": "请填写整改时限"})
    new = {
        "measures": measures.strip(),
        "responsible": responsible.strip()[:100],
        "deadline": deadline,
    }
    labels = {"measures": "整改措施", "responsible": "责任人", "deadline": "整改时限"}
    changed = [
        f"{labels[k]}：{_shown(getattr(item, k))} → {_shown(v)}"
        for k, v in new.items()
        if getattr(item, k) != v
    ]
    if not changed:
        return item
    for key, value in new.items():
        setattr(item, key, value)
    _move(item, user, EventAction.UPDATE, item.status, note="；".join(changed), now=now)
    return item


# ---------------------------------------------------------------- the notice


@transaction.atomic
def notice_issue(
    user: User,
    institution: Institution,
    *,
    number: str = "",
    prefix: str = "",
    now: datetime | None = None,
) -> str:
    """The county office issues the school's rectification notice; the number it carries.

    Once issued, the number stays: downloading again returns it, and a different number is
    refused (changing it is `notice_renumber`). Before that the office types the number, or a
    prefix (发文字号前缀) from which `prefix〔year〕N号` is generated, N following the highest
    number of that prefix and year the county already has (typed ones included).
    """
    _require(can_manage_county(user, institution.county), "只有县督导室可以下发整改通知书")
    Institution.objects.select_for_update().filter(pk=institution.pk).first()  # one at a time
    at = now or timezone.now()
    number, prefix = number.strip(), prefix.strip()
    current = issued_number(institution)
    if current:
        if number and number != current:
            raise RectificationError(
                f"{institution.name}的整改通知书已下发（文号 {current}），下载不会更改文号；"
                "如需更改，请使用“更改文号”",
                {"number": "已下发的通知书不能在下载时更改文号"},
            )
        return current
    year = timezone.localtime(at).year
    if not number:
        if not prefix:
            message = "请填写文号，或填写发文字号前缀（如“青教督改”）以自动编号"
            raise RectificationError(message, {"prefix": message})
        number = f"{prefix}〔{year}〕{next_sequence(institution.county, prefix, year)}号"
    _check_number(institution, number)
    RectificationNotice.objects.create(
        institution=institution,
        number=number,
        prefix=prefix or prefix_of(number),
        issued_at=at,
        issued_by=user,
    )
    return number


@transaction.atomic
def notice_renumber(
    user: User, institution: Institution, *, number: str, now: datetime | None = None
) -> RectificationNotice:
    """更改文号: the office gives the school's issued notice a new number, recorded as a new
    notice row with the old number (who, when)."""
    _require(can_manage_county(user, institution.county), "只有县督导室可以更改整改通知书文号")
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    current = issued_number(institution)
    if not current:
        raise RectificationError(f"{institution.name}的整改通知书尚未下发，无需更改文号", {})
    number = number.strip()
    if not number:
        raise RectificationError("请填写新文号", {"number": "请填写新文号"})
    if number == current:
        message = f"新文号与现文号 {current} 相同，未更改"
        raise RectificationError(message, {"number": message})
    _check_number(institution, number)
    return RectificationNotice.objects.create(
        institution=institution,
        number=number,
        prefix=prefix_of(number),
        previous_number=current,
        issued_at=now or timezone.now(),
        issued_by=user,
    )


def _check_number(institution: Institution, number: str) -> None:
    if len(number) > NUMBER_MAX:
        message = f"文号不能超过 {NUMBER_MAX} 个字"
        raise RectificationError(message, {"number": message})
    used = (
        RectificationNotice.objects.filter(institution__county=institution.county, number=number)
        .exclude(institution=institution)
        .select_related("institution")
        .first()
    )
    if used is not None:
        message = f"文号 {number} 已用于{used.institution.name}的整改通知书，请换一个"
        raise RectificationError(message, {"number": message})


# ---------------------------------------------------------------- files


def check_file(uploaded: UploadedFile) -> None:
    """Type and size limits of evidence files (the settings the collection app uses)."""
    allowed = tuple(settings.EVIDENCE_EXTENSIONS)
    if Path(uploaded.name or "").suffix.lower() not in allowed:
        listed = "、".join(allowed)
        raise RectificationError(
            f"不支持该文件类型，请上传以下类型：{listed}", {"files": "文件类型不支持"}
        )
    limit = settings.EVIDENCE_MAX_BYTES
    if (uploaded.size or 0) > limit:
        raise RectificationError(
            f"文件过大：每个文件不能超过 {limit / 1024 / 1024:g} MB", {"files": "文件过大"}
        )
    if not uploaded.size:
        raise RectificationError("文件是空的", {"files": "文件是空的"})
    mismatch = content_mismatch(uploaded)
    if mismatch:
        raise RectificationError(mismatch, {"files": mismatch})


# ---------------------------------------------------------------- helpers


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _required(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise RectificationError(message, {field: message})
    return text


def _require_verifier(user: User, item: Rectification) -> None:
    refusal = verify_refusal(user, item)
    if refusal:
        raise PermissionDenied(refusal)


def _require_version(item: Rectification, version: int) -> None:
    if version != item.version:
        raise StaleEdit()


def _require_status(item: Rectification, status: str, message: str) -> None:
    if item.status != status:
        raise RectificationError(message)


def _locked(item: Rectification) -> Rectification:
    """The item re-read under a row lock (a concurrent writer waits for this one)."""
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("county", "institution", "department")
        .get(pk=item.pk)
    )


def _actor(user: User) -> object:
    return user if user.is_authenticated else None


def _shown(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else "（空）"


def _move(
    item: Rectification,
    user: User,
    action: str,
    status: str,
    *,
    note: str,
    now: datetime | None,
) -> RectificationEvent:
    """Set the status, bump the version, save and record the event."""
    at = now or timezone.now()
    before = item.status
    item.status = status
    item.version += 1
    item.updated_at = at
    item.save()
    return _record(item, user, action, before=before, note=note, at=at)


def _record(
    item: Rectification, user: User, action: str, *, before: str, note: str, at: datetime
) -> RectificationEvent:
    return RectificationEvent.objects.create(
        rectification=item,
        user=_actor(user),
        at=at,
        action=action,
        from_status=before,
        to_status=item.status,
        note=note,
    )
