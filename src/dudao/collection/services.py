"""Every write of the collection app: one atomic, validating function per action.

Each function checks the actor's permission (PermissionDenied), the state (ServiceError with a
Chinese message) and the version the actor saw (StaleEdit), then writes and records the history
(`Change`: who, when, field, old → new, comment).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dudao.collection import catalogue, importing
from dudao.collection.catalogue import all_school_columns, columns_for, county_columns
from dudao.collection.choices import EDITABLE, ChangeAction, PeriodStatus, SubmissionStatus
from dudao.collection.importing import ImportFailed, ImportResult
from dudao.collection.models import Change, Evidence, Period, Submission
from dudao.collection.validation import ServiceError, StaleEdit, Value, clean_values
from dudao.core.uploads import content_mismatch
from dudao.engine.spec import available_frameworks
from dudao.orgs.models import Institution, Region
from dudao.orgs.selectors import User, can_fill, can_manage_county, can_review_county

__all__ = [
    "ImportFailed",
    "ImportResult",
    "ServiceError",
    "StaleEdit",
    "county_import",
    "evidence_add",
    "period_close",
    "period_open",
    "submission_approve",
    "submission_reopen",
    "submission_return",
    "submission_save",
    "submission_submit",
]

Target = Submission | tuple[Period, Institution | None]

LOCKED_REASONS = {
    SubmissionStatus.SUBMITTED: "该数据已提交，正在等待审核，不能修改",
    SubmissionStatus.APPROVED: "该数据已通过审核并锁定；如需修改，请联系县督导室重新打开",
}


# ---------------------------------------------------------------- periods


@transaction.atomic
def period_open(user: User, county: Region, name: str, framework: str) -> Period:
    """Open a collection period (学年/年度) of a county for one framework."""
    _require(can_manage_county(user, county), "只有县督导室可以开启填报期")
    name = name.strip()
    if not name:
        raise ServiceError("请填写填报期名称", {"name": "必填"})
    if framework not in available_frameworks():
        raise ServiceError("没有这个指标体系", {"framework": "没有这个指标体系"})
    if Period.objects.filter(county=county, name=name, framework=framework).exists():
        raise ServiceError(f"{county}已有名为“{name}”的该指标体系填报期", {"name": "名称重复"})
    return Period.objects.create(county=county, name=name, framework=framework)


@transaction.atomic
def period_close(user: User, period: Period) -> Period:
    """Close a period: schools can no longer save, submit or be returned to."""
    _require(can_manage_county(user, period.county), "只有县督导室可以关闭填报期")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.OPEN:
        raise ServiceError("该填报期已关闭")
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["status", "closed_at"])
    return period


# ---------------------------------------------------------------- filling


@transaction.atomic
def submission_save(
    user: User, target: Target, values: Mapping[str, object], version: int
) -> Submission:
    """Save a draft: only changed fields are written, each recorded as old → new.

    `target` is the submission, or (period, institution) before the first save (version 0);
    `institution` None means the county's items. Refused when the status is not editable, the
    period is closed, a value is invalid, or `version` is not the current one.
    """
    period, institution = _owner(target)
    _require_filler(user, period, institution)
    _require_open(period)
    submission = _locked_or_new(period, institution, version)
    _require_editable(submission)
    columns = columns_for(period, institution)
    fw = catalogue.framework(period.framework)
    known = columns if institution is None else all_school_columns(fw)
    clean = clean_values(columns, known, values)
    changed = _apply(submission, user, clean, ChangeAction.SAVE)
    if changed or submission.version == 0:
        _bump(submission, user)
    return submission


@transaction.atomic
def submission_submit(
    user: User, target: Target, version: int, values: Mapping[str, object] | None = None
) -> Submission:
    """Submit for review (saving `values` first when given); required fields must be filled."""
    if values is not None:
        submission = submission_save(user, target, values, version)
        version = submission.version
    else:
        period, institution = _owner(target)
        _require_filler(user, period, institution)
        submission = _locked_or_new(period, institution, version)
    _require_open(submission.period)
    _require_editable(submission)
    _require_complete(submission)
    return _transition(submission, user, SubmissionStatus.SUBMITTED, ChangeAction.SUBMIT)


@transaction.atomic
def submission_return(
    user: User,
    submission: Submission,
    comments: Mapping[str, str],
    general_comment: str,
    version: int,
) -> Submission:
    """Return a submitted submission to its filler, with comments on fields and/or overall."""
    submission = _locked(submission)
    _require(can_review_county(user, submission.period.county), "您无权审核该数据")
    _require_version(submission, version)
    _require_open(submission.period)
    _require_status(submission, SubmissionStatus.SUBMITTED, "只有已提交的数据可以退回")
    general, per_field = _comments(submission, comments, general_comment)
    _record(submission, user, ChangeAction.RETURN, comment=general)
    Change.objects.bulk_create(
        Change(submission=submission, user=user, action=ChangeAction.RETURN, field=k, comment=c)
        for k, c in per_field.items()
    )
    submission.status = SubmissionStatus.RETURNED
    _bump(submission, user)
    return submission


@transaction.atomic
def submission_approve(user: User, submission: Submission, version: int) -> Submission:
    """Approve a submitted submission: its values are locked from now on."""
    submission = _locked(submission)
    _require(can_review_county(user, submission.period.county), "您无权审核该数据")
    _require_version(submission, version)
    _require_status(submission, SubmissionStatus.SUBMITTED, "只有已提交的数据可以审核通过")
    return _transition(submission, user, SubmissionStatus.APPROVED, ChangeAction.APPROVE)


@transaction.atomic
def submission_reopen(user: User, submission: Submission, reason: str) -> Submission:
    """Reopen approved data for correction (county office only): it goes back as returned."""
    submission = _locked(submission)
    _require(can_manage_county(user, submission.period.county), "只有县督导室可以重新打开")
    _require_open(submission.period)
    _require_status(submission, SubmissionStatus.APPROVED, "只有已通过的数据可以重新打开")
    if not reason.strip():
        raise ServiceError("请填写重新打开的原因", {"reason": "必填"})
    return _transition(
        submission, user, SubmissionStatus.RETURNED, ChangeAction.REOPEN, reason.strip()
    )


# ---------------------------------------------------------------- county workbook, evidence


@transaction.atomic
def county_import(user: User, period: Period, uploaded_file: UploadedFile) -> ImportResult:
    """Import the county-wide workbook: all rows or none; rows become submitted submissions.

    Raises ImportFailed listing every problem (sheet, row, column, value, reason): the engine's
    checks, codes that are not schools of the county, type mismatches, approved submissions.
    """
    _require(can_manage_county(user, period.county), "只有县督导室可以导入县级工作簿")
    _require_open(period)
    fw = catalogue.framework(period.framework)
    frame = importing.read_upload(uploaded_file, fw)
    rows, skipped = importing.match_rows(frame, period, fw)
    result = ImportResult(skipped=skipped)
    for row in rows:
        _import_row(user, row, uploaded_file.name, result)
    return result


def _import_row(user: User, row: importing.Row, file_name: str, result: ImportResult) -> None:
    submission = row.submission
    if submission is None:
        submission = Submission(period=row.period, institution=row.institution, version=0)
        result.created += 1
    else:
        result.updated += 1
    submission.status = SubmissionStatus.SUBMITTED
    _bump(submission, user)
    note = f"导入县级工作簿“{file_name}”第 {row.row} 行"
    _record(submission, user, ChangeAction.IMPORT, comment=note)
    if _apply(submission, user, row.values, ChangeAction.IMPORT):
        submission.save(update_fields=["values"])


@transaction.atomic
def evidence_add(
    user: User, submission: Submission, field: str, uploaded_file: UploadedFile
) -> Evidence:
    """Attach an evidence file to one county item (size and type limited by settings)."""
    if not submission.is_county_items:
        raise ServiceError("只有县级指标可以上传证明材料")
    submission = _locked(submission)
    _require_filler(user, submission.period, None)
    _require_open(submission.period)
    _require_editable(submission)
    column = county_columns(catalogue.framework(submission.period.framework)).get(field)
    if column is None:
        raise ServiceError("请选择证明材料对应的指标", {"field": "不是本表的指标"})
    _check_file(uploaded_file)
    evidence = Evidence.objects.create(
        submission=submission,
        field=field,
        file=uploaded_file,
        name=Path(uploaded_file.name or "").name[:200],
        size=uploaded_file.size or 0,
        uploaded_by=user,
    )
    _record(submission, user, ChangeAction.UPLOAD, field=field, new=evidence.name)
    return evidence


def _check_file(uploaded_file: UploadedFile) -> None:
    allowed = tuple(settings.EVIDENCE_EXTENSIONS)
    if Path(uploaded_file.name or "").suffix.lower() not in allowed:
        listed = "、".join(allowed)
        raise ServiceError(
            f"不支持该文件类型，请上传以下类型：{listed}", {"file": "文件类型不支持"}
        )
    limit = settings.EVIDENCE_MAX_BYTES
    if (uploaded_file.size or 0) > limit:
        size = f"{limit / 1024 / 1024:g} MB"
        raise ServiceError(f"文件过大：每个文件不能超过 {size}", {"file": "文件过大"})
    if not uploaded_file.size:
        raise ServiceError("文件是空的", {"file": "文件是空的"})
    mismatch = content_mismatch(uploaded_file)
    if mismatch:
        raise ServiceError(mismatch, {"file": "内容与扩展名不符"})


# ---------------------------------------------------------------- helpers


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_filler(user: User, period: Period, institution: Institution | None) -> None:
    if institution is None:
        _require(can_manage_county(user, period.county), "只有县督导室可以填报县级指标")
        return
    _require(can_fill(user, institution), "只有本校填报员或校长可以填报")
    if institution.county_id != period.county_id:
        raise ServiceError("该学校不属于本填报期所在区县")


def _require_open(period: Period) -> None:
    if period.status != PeriodStatus.OPEN:
        raise ServiceError("该填报期已关闭，不能再修改数据")


def _require_editable(submission: Submission) -> None:
    if submission.status not in EDITABLE:
        raise ServiceError(LOCKED_REASONS.get(submission.status, "该数据当前不能修改"))


def _require_status(submission: Submission, status: str, message: str) -> None:
    if submission.status != status:
        raise ServiceError(message)


def _require_complete(submission: Submission) -> None:
    columns = columns_for(submission.period, submission.institution)
    missing = {k: "必填" for k, c in columns.items() if c.required and k not in submission.values}
    if missing:
        titles = "、".join(columns[k].title for k in missing)
        raise ServiceError(f"以下必填项尚未填写：{titles}", missing)


def _owner(target: Target) -> tuple[Period, Institution | None]:
    if isinstance(target, Submission):
        return target.period, target.institution
    return target


def _locked(submission: Submission) -> Submission:
    """The submission re-read under a row lock (a concurrent writer waits for this one)."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period__county", "institution")
        .get(pk=submission.pk)
    )


def _require_version(submission: Submission, version: int) -> None:
    """StaleEdit when the actor's form was made from an older (or newer) version."""
    if version != submission.version:
        raise StaleEdit()


def _locked_or_new(period: Period, institution: Institution | None, version: int) -> Submission:
    existing = Submission.objects.filter(period=period, institution=institution).first()
    if existing is not None:
        existing = _locked(existing)
        _require_version(existing, version)
        return existing
    if version != 0:
        raise StaleEdit()
    try:
        with transaction.atomic():
            return Submission.objects.create(
                period=period, institution=institution, version=0, values={}
            )
    except IntegrityError as exc:  # created meanwhile by someone else
        raise StaleEdit() from exc


def _comments(
    submission: Submission, comments: Mapping[str, str], general: str
) -> tuple[str, dict[str, str]]:
    columns = columns_for(submission.period, submission.institution)
    per_field = {k: c.strip() for k, c in comments.items() if c and c.strip()}
    unknown = {k: "不是本表的字段" for k in per_field if k not in columns}
    if unknown:
        raise ServiceError("退回意见指向了不存在的字段", unknown)
    if not per_field and not general.strip():
        raise ServiceError("退回时请填写退回意见（总体意见或对具体字段的意见）")
    return general.strip(), per_field


def _apply(submission: Submission, user: User, clean: Mapping[str, Value], action: str) -> int:
    """Write changed values into `submission.values` and one Change per changed field."""
    values = dict(submission.values)
    changes = []
    for key, new in clean.items():
        old = values.get(key)
        if _same(old, new):
            continue
        changes.append(
            Change(submission=submission, user=user, action=action, field=key, old=old, new=new)
        )
        if new is None:
            values.pop(key, None)
        else:
            values[key] = new
    submission.values = values
    Change.objects.bulk_create(changes)
    return len(changes)


def _same(old: object, new: object) -> bool:
    """12 and 12.0 are the same figure; True and 1 are not."""
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return old == new


def _transition(
    submission: Submission, user: User, status: str, action: str, comment: str = ""
) -> Submission:
    submission.status = status
    _bump(submission, user)
    _record(submission, user, action, comment=comment)
    return submission


def _bump(submission: Submission, user: User) -> None:
    submission.version += 1
    submission.updated_by = user if user.is_authenticated else None  # type: ignore[assignment]
    submission.save()


def _record(
    submission: Submission,
    user: User,
    action: str,
    *,
    field: str = "",
    new: object = None,
    comment: str = "",
) -> Change:
    return Change.objects.create(
        submission=submission, user=user, action=action, field=field, new=new, comment=comment
    )
