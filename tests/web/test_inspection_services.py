"""Services of the inspector pool, conflicts, assignments and checklists."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from inspection_builders import LINES, all_scores, plan_with_target, world

from dudao.inspection import checklist as rubric
from dudao.inspection import services, visits
from dudao.inspection.errors import ServiceError, StaleEdit
from dudao.inspection.models import Assignment, ChecklistTemplate

pytestmark = pytest.mark.django_db


def test_the_office_adds_inspectors_with_codes_unique_per_county(cast: Cast) -> None:
    w = world(cast)
    assert w.sun.county == cast.county and w.sun.version == 1
    with pytest.raises(ServiceError, match="DX001 已被使用"):
        services.inspector_save(
            cast.supervisor, cast.county, services.InspectorData(code="DX001", name="重名")
        )
    # the same code in another county is fine
    again = services.inspector_save(
        cast.other_supervisor, cast.other_county, services.InspectorData("DX001", "河西孙")
    )
    assert again.code == "DX001"


def test_a_leader_cannot_add_an_inspector(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.inspector_save(
            cast.leader, cast.county, services.InspectorData(code="DX009", name="某")
        )


def test_an_account_without_the_inspector_role_cannot_be_linked(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="不是本县的督学账号"):
        services.inspector_save(
            cast.supervisor,
            cast.county,
            services.InspectorData(code="DX009", name="某", user=cast.other_inspector),
        )


def test_a_stale_edit_of_an_inspector_is_refused_and_nothing_saved(cast: Cast) -> None:
    w = world(cast)
    data = services.InspectorData(code="DX001", name="孙督学（改）", user=cast.inspector)
    services.inspector_save(cast.supervisor, cast.county, data, w.sun, version=1)
    with pytest.raises(StaleEdit, match="该记录已被他人修改"):
        services.inspector_save(
            cast.supervisor,
            cast.county,
            services.InspectorData(code="DX001", name="又改"),
            w.sun,
            version=1,
        )
    w.sun.refresh_from_db()
    assert w.sun.name == "孙督学（改）" and w.sun.version == 2


def test_conflicts_need_a_reason_and_a_school_of_the_county(cast: Cast) -> None:
    w = world(cast)
    conflict = services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "配偶在该校任教")
    assert str(conflict) == "周督学 回避 城关第一初级中学"
    with pytest.raises(ServiceError, match="回避原因"):
        services.conflict_add(cast.supervisor, w.zhou, cast.school_a, " ")
    with pytest.raises(ServiceError, match="不属于本县"):
        services.conflict_add(cast.supervisor, w.zhou, cast.school_c, "亲属")
    with pytest.raises(ServiceError, match="已登记回避"):
        services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "重复")


def test_an_inactive_inspector_cannot_be_assigned_to_a_school(cast: Cast) -> None:
    w = world(cast)
    data = services.InspectorData(code="DX004", name="吴督学", active=False)
    services.inspector_save(cast.supervisor, cast.county, data, w.wu, version=1)
    w.wu.refresh_from_db()
    with pytest.raises(ServiceError, match="不在岗"):
        services.assignment_set(cast.supervisor, cast.school_a, w.wu)
    assert services.assignment_set(cast.supervisor, cast.school_a, w.sun) is not None
    with pytest.raises(ServiceError, match="不属于学校所在区县"):
        services.assignment_set(cast.supervisor, cast.school_a, w.other)
    services.assignment_set(cast.supervisor, cast.school_a, None)
    assert not Assignment.objects.filter(institution=cast.school_a).exists()


def test_pasted_lines_with_mistakes_are_refused_with_every_line_named() -> None:
    text = "安全|消防|1|是:10;否:0\n安全|食堂|零|好:x\n只有两栏|x"
    with pytest.raises(rubric.ChecklistError) as caught:
        rubric.parse_lines(text)
    problems = caught.value.problems
    assert any(p.startswith("第2行：权重") for p in problems)
    assert any(p.startswith("第2行：选项") for p in problems)
    assert any(p.startswith("第3行：应有 4 栏") for p in problems)


def test_scoring_weights_the_chosen_options_and_needs_every_item() -> None:
    structure = rubric.parse_lines(LINES)
    assert rubric.full_mark(structure) == 40
    scored = rubric.score(structure, {"1.1": "0", "1.2": "1", "2.1": "1"})
    assert scored.total == 10 + 2 * 5 + 0
    with pytest.raises(rubric.ChecklistError, match=r"1\.2"):
        rubric.score(structure, {"1.1": "0", "2.1": "0"})
    with pytest.raises(rubric.ChecklistError):
        rubric.score(structure, {"1.1": "0", "1.2": "9", "2.1": "0"})


def test_a_pass_mark_above_the_full_mark_is_refused(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="满分 40"):
        services.checklist_save(cast.supervisor, cast.county, "表", LINES, 41)


def test_editing_an_unused_checklist_changes_it_in_place(cast: Cast) -> None:
    w = world(cast)
    edited = services.checklist_save(
        cast.supervisor, cast.county, "常规检查表", LINES, 35, template=w.checklist, version=1
    )
    assert edited.pk == w.checklist.pk and edited.version == 1 and edited.pass_mark == 35


def test_editing_a_used_checklist_creates_a_new_version_and_the_visit_keeps_its_own(
    cast: Cast,
) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = visits.visit_record(
        cast.inspector,
        target,
        visits.VisitData(
            visited_on=w.checklist.created_at.date(), choices=all_scores(), inspectors=[w.sun]
        ),
    )
    changed = LINES + "\n教学|作业量适当|1|是:10;否:0"
    new = services.checklist_save(
        cast.supervisor, cast.county, "常规检查表", changed, 40, template=w.checklist, version=1
    )
    assert new.pk != w.checklist.pk and new.version == 2
    visit.refresh_from_db()
    assert visit.checklist_id == w.checklist.pk
    assert ChecklistTemplate.objects.filter(name="常规检查表").count() == 2
    w.checklist.refresh_from_db()
    assert rubric.full_mark(w.checklist.structure) == 40
