"""Rectification services: creation (idempotent), the state machine, refusals, stale edits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from pytest_django.fixtures import Settings
from rectification_helpers import assign

from dudao.rectification import services
from dudao.rectification.choices import EventAction, RectificationStatus
from dudao.rectification.models import Rectification, RectificationFile
from dudao.rectification.selectors import (
    is_county_inspector,
    open_rectifications,
    rectifications_for,
)

STALE = "该记录已被他人修改，请刷新后再改"


@pytest.fixture(autouse=True)
def assigned_inspector(cast: Cast) -> None:
    """`cast.inspector` is the 责任督学 of schools A and B: he may verify their items."""
    assign(cast.inspector, cast.school_a, cast.school_b)


def make(cast: Cast, key: str = "visit:1:a", **kwargs: object) -> Rectification:
    options: dict[str, object] = {
        "county": cast.county,
        "source": "inspection",
        "source_key": key,
        "source_label": "2026年秋季督查",
        "problem": "功能室使用记录不全",
        "institution": cast.school_a,
        "measures": "建立使用登记制度",
        "responsible": "张校长",
        "deadline": date(2026, 12, 31),
        "now": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        **kwargs,
    }
    item, created = services.rectification_create(cast.inspector, **options)  # type: ignore[arg-type]
    assert created
    return item


def pdf(name: str = "整改照片.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


# ---------------------------------------------------------------- creation


def test_an_inspector_registers_an_item_with_a_created_event(cast: Cast) -> None:
    item = make(cast)
    assert item.status == RectificationStatus.OPEN
    assert item.version == 1
    assert [e.action for e in item.events.all()] == [EventAction.CREATE]


def test_creating_twice_with_the_same_key_returns_the_existing_item(cast: Cast) -> None:
    item = make(cast)
    again, created = services.rectification_create(
        cast.supervisor,
        county=cast.county,
        source="inspection",
        source_key="visit:1:a",
        source_label="另一次",
        problem="另一个问题",
    )
    assert not created
    assert again.pk == item.pk and again.problem == "功能室使用记录不全"
    assert Rectification.objects.count() == 1


def test_the_same_key_in_another_county_is_another_item(cast: Cast) -> None:
    make(cast)
    _, created = services.rectification_create(
        cast.other_supervisor,
        county=cast.other_county,
        source="inspection",
        source_key="visit:1:a",
        source_label="",
        problem="问题",
    )
    assert created


def test_items_registered_by_hand_without_a_key_are_never_merged(cast: Cast) -> None:
    for _ in range(2):
        services.rectification_create(
            cast.supervisor,
            county=cast.county,
            source="complaint",
            source_key="",
            source_label="家长来信",
            problem="校门口交通拥堵",
        )
    assert Rectification.objects.count() == 2


@pytest.mark.parametrize(
    "who", ["leader", "clerk_a", "department_head", "other_inspector", "other_supervisor", "nobody"]
)
def test_only_the_office_and_the_county_s_inspectors_register_items(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.rectification_create(
            getattr(cast, who),
            county=cast.county,
            source="inspection",
            source_key="k",
            source_label="",
            problem="问题",
        )
    assert not Rectification.objects.exists()


def test_an_item_cannot_belong_to_a_school_and_a_department(cast: Cast) -> None:
    with pytest.raises(services.RectificationError, match="不能同时选择"):
        make(cast, department=cast.department)


def test_a_school_of_another_county_is_refused(cast: Cast) -> None:
    with pytest.raises(services.RectificationError, match="不属于本区县"):
        make(cast, institution=cast.school_c)


def test_a_problem_is_required(cast: Cast) -> None:
    with pytest.raises(services.RectificationError, match="请填写问题"):
        make(cast, problem="  ")


def test_the_database_refuses_an_item_owned_twice(cast: Cast) -> None:
    with pytest.raises(IntegrityError):
        Rectification.objects.create(
            county=cast.county,
            institution=cast.school_a,
            department=cast.department,
            source="complaint",
            problem="x",
        )


# ---------------------------------------------------------------- selectors


def test_open_rectifications_leave_out_closed_items(cast: Cast, media: Path) -> None:
    open_item = make(cast, "a")
    closed = make(cast, "b")
    closed = services.rectification_respond(cast.clerk_a, closed, note="已整改", version=1)
    services.rectification_verify(cast.inspector, closed, note="属实", version=2)
    assert list(open_rectifications(cast.county)) == [open_item]
    assert not open_rectifications(cast.other_county).exists()


def test_is_county_inspector_is_limited_to_the_county(cast: Cast) -> None:
    assert is_county_inspector(cast.inspector, cast.county)
    assert not is_county_inspector(cast.inspector, cast.other_county)
    assert not is_county_inspector(cast.supervisor, cast.county)


def test_each_role_sees_only_its_own_items(cast: Cast) -> None:
    school = make(cast, "s")
    department = make(cast, "d", institution=None, department=cast.department)
    county = make(cast, "c", institution=None)
    assert set(rectifications_for(cast.clerk_a)) == {school}
    assert set(rectifications_for(cast.clerk_b)) == set()
    assert set(rectifications_for(cast.department_head)) == {department}
    assert set(rectifications_for(cast.other_department_head)) == set()
    for who in ("supervisor", "leader", "inspector", "city_reviewer", "admin"):
        assert set(rectifications_for(getattr(cast, who))) == {school, department, county}
    for who in ("other_supervisor", "other_inspector", "clerk_c", "nobody"):
        assert not rectifications_for(getattr(cast, who)).exists()


# ---------------------------------------------------------------- the state machine


def test_the_full_cycle_respond_return_respond_verify(cast: Cast, media: Path) -> None:
    item = make(cast)
    at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    item = services.rectification_respond(
        cast.clerk_a, item, note="已建立登记制度", version=1, files=[pdf()], now=at
    )
    assert item.status == RectificationStatus.RESPONDED and item.version == 2
    assert item.response == "已建立登记制度"
    stored = RectificationFile.objects.get()
    assert stored.name == "整改照片.pdf" and stored.event is not None
    assert stored.event.at == at
    later = [datetime(2026, 11, day, 8, 0, tzinfo=UTC) for day in (21, 22, 23)]
    item = services.rectification_return(
        cast.inspector, item, reason="缺少照片", version=2, now=later[0]
    )
    assert item.status == RectificationStatus.OPEN
    item = services.rectification_respond(
        cast.principal_a, item, note="补充照片", version=3, now=later[1]
    )
    item = services.rectification_verify(
        cast.inspector, item, note="经核验属实", version=4, now=later[2]
    )
    assert item.status == RectificationStatus.CLOSED
    actions = [(e.action, e.from_status, e.to_status) for e in item.events.all()]
    assert actions == [
        ("create", "", "open"),
        ("respond", "open", "responded"),
        ("return", "responded", "open"),
        ("respond", "open", "responded"),
        ("verify", "responded", "closed"),
    ]
    assert item.events.get(action="return").note == "缺少照片"


def test_only_a_responded_item_can_be_verified(cast: Cast) -> None:
    item = make(cast)
    with pytest.raises(services.RectificationError, match="只有“已反馈”的事项可以核验销号"):
        services.rectification_verify(cast.inspector, item, note="ok", version=1)
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.events.count() == 1


def test_only_a_responded_item_can_be_returned(cast: Cast) -> None:
    item = make(cast)
    with pytest.raises(services.RectificationError, match="退回重改"):
        services.rectification_return(cast.supervisor, item, reason="x", version=1)


def test_a_responded_item_cannot_be_responded_again(cast: Cast) -> None:
    item = services.rectification_respond(cast.clerk_a, make(cast), note="做了", version=1)
    with pytest.raises(services.RectificationError, match="只有“待整改”"):
        services.rectification_respond(cast.clerk_a, item, note="又做了", version=2)


def test_only_a_closed_item_can_be_reopened_and_reopening_is_recorded(cast: Cast) -> None:
    item = make(cast)
    with pytest.raises(services.RectificationError, match="只有“已核验销号”"):
        services.rectification_reopen(cast.supervisor, item, reason="复发", version=1)
    item = services.rectification_respond(cast.clerk_a, item, note="做了", version=1)
    item = services.rectification_verify(cast.supervisor, item, note="核验", version=2)
    item = services.rectification_reopen(cast.inspector, item, reason="回访发现问题复发", version=3)
    assert item.status == RectificationStatus.OPEN
    last = item.events.last()
    assert last is not None
    assert (last.action, last.from_status, last.note) == ("reopen", "closed", "回访发现问题复发")


def test_return_and_reopen_need_a_reason_and_verify_a_note(cast: Cast) -> None:
    item = services.rectification_respond(cast.clerk_a, make(cast), note="做了", version=1)
    with pytest.raises(services.RectificationError, match="请填写退回原因"):
        services.rectification_return(cast.inspector, item, reason=" ", version=2)
    with pytest.raises(services.RectificationError, match="请填写核验意见"):
        services.rectification_verify(cast.inspector, item, note="", version=2)


def test_a_response_needs_a_note(cast: Cast) -> None:
    with pytest.raises(services.RectificationError, match="请填写整改情况"):
        services.rectification_respond(cast.clerk_a, make(cast), note="", version=1)


@pytest.mark.parametrize("who", ["clerk_b", "department_head", "inspector", "leader"])
def test_only_the_responsible_side_responds_for_a_school(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.rectification_respond(getattr(cast, who), make(cast), note="x", version=1)


def test_a_department_responds_for_its_own_items_only(cast: Cast) -> None:
    item = make(cast, institution=None, department=cast.department)
    with pytest.raises(PermissionDenied):
        services.rectification_respond(cast.other_department_head, item, note="x", version=1)
    item = services.rectification_respond(cast.department_head, item, note="已办", version=1)
    assert item.status == RectificationStatus.RESPONDED


def test_the_county_office_responds_for_county_level_items(cast: Cast) -> None:
    item = make(cast, institution=None)
    with pytest.raises(PermissionDenied):
        services.rectification_respond(cast.clerk_a, item, note="x", version=1)
    item = services.rectification_respond(cast.supervisor, item, note="已办", version=1)
    assert item.status == RectificationStatus.RESPONDED


@pytest.mark.parametrize("who", ["clerk_a", "leader", "other_inspector", "department_head"])
def test_schools_leaders_and_other_inspectors_cannot_verify(cast: Cast, who: str) -> None:
    item = services.rectification_respond(cast.clerk_a, make(cast), note="做了", version=1)
    with pytest.raises(PermissionDenied):
        services.rectification_verify(getattr(cast, who), item, note="x", version=2)


def test_a_stale_response_is_refused_and_nothing_is_saved(cast: Cast, media: Path) -> None:
    item = make(cast)
    services.rectification_update(
        cast.supervisor,
        item,
        measures="新措施",
        responsible="李",
        deadline=item.deadline,
        version=1,
    )
    with pytest.raises(services.StaleEdit, match=STALE):
        services.rectification_respond(cast.clerk_a, item, note="做了", version=1, files=[pdf()])
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.response == ""
    assert not RectificationFile.objects.exists()


def test_a_stale_verification_is_refused(cast: Cast) -> None:
    item = services.rectification_respond(cast.clerk_a, make(cast), note="做了", version=1)
    services.rectification_return(cast.supervisor, item, reason="不实", version=2)
    with pytest.raises(services.StaleEdit):
        services.rectification_verify(cast.inspector, item, note="ok", version=2)


# ---------------------------------------------------------------- edits and files


def test_the_office_edits_measures_and_the_change_is_recorded(cast: Cast) -> None:
    item = services.rectification_update(
        cast.supervisor,
        make(cast),
        measures="建立制度并公示",
        responsible="王主任",
        deadline=date(2027, 1, 15),
        version=1,
    )
    assert (item.measures, item.responsible, item.deadline) == (
        "建立制度并公示",
        "王主任",
        date(2027, 1, 15),
    )
    assert item.version == 2
    event = item.events.get(action=EventAction.UPDATE)
    assert "整改时限：2026-12-31 → 2027-01-15" in event.note


def test_an_edit_without_changes_records_nothing(cast: Cast) -> None:
    item = make(cast)
    services.rectification_update(
        cast.supervisor,
        item,
        measures=item.measures,
        responsible=item.responsible,
        deadline=item.deadline,
        version=1,
    )
    item.refresh_from_db()
    assert item.version == 1 and item.events.count() == 1


def test_the_deadline_cannot_be_cleared(cast: Cast) -> None:
    item = make(cast)
    with pytest.raises(services.RectificationError, match="请填写整改时限") as caught:
        services.rectification_update(
            cast.supervisor, item, measures="x", responsible="", deadline=None, version=1
        )
    assert caught.value.errors == {"deadline": "请填写整改时限"}
    item.refresh_from_db()
    assert item.deadline is not None and item.version == 1


@pytest.mark.parametrize("who", ["inspector", "leader", "clerk_a"])
def test_only_the_office_edits_items(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.rectification_update(
            getattr(cast, who), make(cast), measures="x", responsible="", deadline=None, version=1
        )


def test_a_closed_item_cannot_be_edited(cast: Cast) -> None:
    item = services.rectification_respond(cast.clerk_a, make(cast), note="做了", version=1)
    item = services.rectification_verify(cast.inspector, item, note="ok", version=2)
    with pytest.raises(services.RectificationError, match="先重新打开"):
        services.rectification_update(
            cast.supervisor, item, measures="x", responsible="", deadline=None, version=3
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("病毒.exe", b"MZ", "不支持该文件类型"), ("空.pdf", b"", "文件是空的")],
)
def test_evidence_files_are_limited_by_type_and_emptiness(
    cast: Cast, media: Path, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(services.RectificationError, match=message):
        services.rectification_respond(
            cast.clerk_a, make(cast), note="x", version=1, files=[upload]
        )
    assert not RectificationFile.objects.exists()


def test_evidence_files_are_limited_in_size(cast: Cast, media: Path, settings: Settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(services.RectificationError, match="文件过大"):
        services.rectification_respond(cast.clerk_a, make(cast), note="x", version=1, files=[pdf()])
