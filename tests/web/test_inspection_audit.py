"""Fixes from the audit: conflicts outside the draw, stale checklists, findings, dates, links."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from inspection_builders import LINES, all_scores, made_before, plan_with_target, world

from dudao.core.officialdoc import chinese_date, document_text
from dudao.inspection import draws, services, visits
from dudao.inspection.errors import ServiceError, StaleEdit
from dudao.inspection.forms import FINDING_FORMS
from dudao.inspection.models import (
    Assignment,
    ChecklistTemplate,
    Conflict,
    DrawPublication,
    InspectionPlan,
    Target,
    Visit,
)
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)


def record(cast: Cast, target: Target, w: object, **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=kw.pop("visited_on", VISITED),  # type: ignore[arg-type]
        choices=all_scores(),
        inspectors=[w.sun],  # type: ignore[attr-defined]
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.inspector, target, data, today=TODAY)


# ---------------------------------------------------------------- 1. conflicts outside the draw


def test_a_target_refuses_an_inspector_who_works_at_or_declared_a_conflict_with_the_school(
    cast: Cast,
) -> None:
    w = world(cast)
    plan, _ = plan_with_target(cast, w, inspectors=[w.sun])
    with pytest.raises(ServiceError, match="李督学在石桥镇中心小学工作，应当回避"):
        visits.target_add(cast.supervisor, plan, cast.school_a, [w.li])
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "配偶在该校任教")
    with pytest.raises(ServiceError, match="周督学已登记回避城关第一初级中学（配偶在该校任教）"):
        visits.target_add(cast.supervisor, plan, cast.school_b, [w.wu, w.zhou])
    services.inspector_save(
        cast.supervisor,
        cast.county,
        services.InspectorData(code="DX004", name="吴督学", active=False),
        w.wu,
        version=1,
    )
    w.wu.refresh_from_db()
    with pytest.raises(ServiceError, match="吴督学已不在岗"):
        visits.target_add(cast.supervisor, plan, cast.school_b, [w.wu])
    assert list(plan.targets.values_list("institution", flat=True)) == [cast.school_a.pk]


def test_the_target_form_shows_the_conflict_refusal(cast: Cast) -> None:
    w = world(cast)
    plan, _ = plan_with_target(cast, w, inspectors=[w.sun])
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "亲属")
    client = client_for(cast.supervisor)
    response = client.post(
        reverse("inspection:target_add", args=[plan.pk]),
        {"institution": cast.school_b.pk, "inspectors": [w.zhou.pk]},
        follow=True,
    )
    assert "周督学已登记回避城关第一初级中学" in response.content.decode()
    assert plan.targets.count() == 1


def test_an_assigned_inspector_may_not_work_at_or_conflict_with_the_school(cast: Cast) -> None:
    w = world(cast)
    with pytest.raises(ServiceError, match="李督学在石桥镇中心小学工作"):
        services.assignment_set(cast.supervisor, cast.school_a, w.li)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "亲属")
    with pytest.raises(ServiceError, match="周督学已登记回避城关第一初级中学"):
        services.assignment_set(cast.supervisor, cast.school_b, w.zhou)
    assert not Assignment.objects.exists()
    assert services.assignment_set(cast.supervisor, cast.school_b, w.li) is not None


def test_reinspection_leaves_out_an_assigned_inspector_who_must_not_go_and_says_so(
    cast: Cast,
) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_a, w.zhou)
    _, target = plan_with_target(cast, w)
    record(cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))])
    # declared afterwards (conflict_add now refuses it for the assigned inspector; older data)
    Conflict.objects.create(inspector=w.zhou, institution=cast.school_a, reason="子女在该校就读")
    plan = visits.reinspection_plan(cast.supervisor, cast.county, today=TODAY, scheduled=TODAY)
    again = plan.targets.get()
    assert again.institution == cast.school_a and not again.inspectors.exists()
    assert "未自动指派督学" in plan.notes and "周督学已登记回避石桥镇中心小学" in plan.notes


# ---------------------------------------------------------------- 3. stale checklist edits


def test_an_edit_of_a_checklist_that_is_no_longer_current_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)  # the plan uses it: an edit makes version 2
    record(cast, target, w)
    changed = LINES + "\n教学|作业量适当|1|是:10;否:0"
    services.checklist_save(
        cast.supervisor, cast.county, "常规检查表", changed, 40, template=w.checklist, version=1
    )
    with pytest.raises(StaleEdit, match="该记录已被他人修改，请刷新后再改"):
        services.checklist_save(
            cast.supervisor, cast.county, "常规检查表", LINES, 20, template=w.checklist, version=1
        )
    assert ChecklistTemplate.objects.count() == 2
    with pytest.raises(StaleEdit):  # a form that carries no version is refused too
        services.checklist_save(
            cast.supervisor, cast.county, "常规检查表", LINES, 20, template=w.checklist
        )


def test_the_checklist_form_carries_its_version_and_a_stale_post_saves_nothing(
    cast: Cast,
) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w)
    client = client_for(cast.supervisor)
    url = reverse("inspection:checklist", args=[w.checklist.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    form = {"name": "常规检查表", "pass_mark": "30", "lines": LINES, "version": "1"}
    first = client.post(url, {**form, "lines": LINES + "\n教学|作业|1|是:10;否:0"})
    assert first.status_code == 302
    stale = client.post(url, {**form, "pass_mark": "10"})
    assert stale.status_code == 200
    assert "该记录已被他人修改，请刷新后再改" in stale.content.decode()
    assert ChecklistTemplate.objects.count() == 2
    assert not ChecklistTemplate.objects.filter(pass_mark=10).exists()


# ---------------------------------------------------------------- 4, 5, 10. findings


def test_findings_can_be_added_to_a_recorded_visit_and_are_numbered_on(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(
        cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))]
    )
    added = visits.findings_add(
        cast.supervisor,
        visit,
        [
            visits.FindingData("问题二", responsible="王校长", deadline=date(2026, 12, 31)),
            visits.FindingData("问题三", deadline=date(2026, 12, 31)),
        ],
    )
    assert [f.number for f in added] == [2, 3]
    keys = set(Rectification.objects.values_list("source_key", flat=True))
    assert keys == {f"visit:{visit.pk}:finding:{n}" for n in (1, 2, 3)}
    assert Rectification.objects.get(source_key=f"visit:{visit.pk}:finding:2").responsible == (
        "王校长"
    )
    with pytest.raises(ServiceError, match="早于检查日期"):
        late = [visits.FindingData("x", deadline=date(2026, 11, 1))]
        visits.findings_add(cast.supervisor, visit, late)
    with pytest.raises(PermissionDenied):
        visits.findings_add(
            cast.leader, visit, [visits.FindingData("领导不能补充", deadline=date(2026, 12, 31))]
        )
    assert visit.findings.count() == 3


def test_the_visit_page_lets_the_visits_inspector_add_findings(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(cast, target, w)
    url = reverse("inspection:findings_add", args=[visit.pk])
    page = client_for(cast.inspector).get(reverse("inspection:visit", args=[visit.pk]))
    assert url in page.content.decode()
    leader_page = client_for(cast.leader).get(reverse("inspection:visit", args=[visit.pk]))
    assert url not in leader_page.content.decode()
    form = {
        "f0-problem": "补充：厕所无洗手液",
        "f0-responsible": "后勤主任张某",
        "f0-deadline": "2026-12-20",
    }
    response = client_for(cast.inspector).post(url, form)
    assert response.status_code == 302
    item = Rectification.objects.get()
    assert item.problem == "补充：厕所无洗手液" and item.responsible == "后勤主任张某"
    assert client_for(cast.leader).post(url, form).status_code == 403
    assert client_for(cast.clerk_a).post(url, form).status_code == 403
    assert client_for(cast.other_supervisor).post(url, form).status_code == 404
    anonymous = Client().post(url, form)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    assert Rectification.objects.count() == 1


def test_the_record_form_has_five_finding_rows_and_a_responsible_person(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    client = client_for(cast.inspector)
    url = reverse("inspection:visit_record", args=[target.pk])
    page = client.get(url).content.decode()
    assert FINDING_FORMS == 5 and 'name="f4-problem"' in page and 'name="f0-responsible"' in page
    form = {
        "visited_on": "2026-11-20",
        "inspectors": [w.sun.pk],
        **{f"score_{k}": v for k, v in all_scores().items()},
        **{f"f{n}-problem": f"问题{n}" for n in range(5)},
        **{f"f{n}-deadline": "2026-12-20" for n in range(5)},
        **{f"f{n}-responsible": "王主任" for n in range(4)},
        "f4-responsible": "李主任",
    }
    assert client.post(url, form).status_code == 302
    assert Rectification.objects.count() == 5
    assert Rectification.objects.get(problem="问题4").responsible == "李主任"
    assert Visit.objects.get().findings.get(number=5).responsible == "李主任"


def test_a_finding_row_with_measures_but_no_problem_is_refused_not_dropped(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    client = client_for(cast.inspector)
    url = reverse("inspection:visit_record", args=[target.pk])
    form = {
        "visited_on": "2026-11-20",
        "inspectors": [w.sun.pk],
        **{f"score_{k}": v for k, v in all_scores().items()},
        "f1-measures": "立即清理消防通道",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "填写了整改措施等内容，但没有填写问题" in response.content.decode()
    assert not Visit.objects.exists() and not Rectification.objects.exists()
    with pytest.raises(ServiceError, match="第1个问题没有填写问题内容"):
        record(cast, target, w, findings=[visits.FindingData(" ", measures="清理")])


# ---------------------------------------------------------------- 6. dates


def test_a_visit_dated_in_the_future_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    with pytest.raises(ServiceError, match="晚于今天"):
        record(cast, target, w, visited_on=date(2026, 12, 11))
    assert not Visit.objects.exists()
    assert record(cast, target, w, visited_on=TODAY).visited_on == TODAY


# ---------------------------------------------------------------- 7, 8. draw notice and files


def test_the_notice_prints_local_time_and_is_dated_by_its_publication(cast: Cast) -> None:
    world(cast)
    made = draws.draw_prepare(
        cast.supervisor, cast.county, draws.DrawRequest("冬季", count=1, per_school=1)
    )
    made = draws.draw_run(cast.supervisor, made, now=datetime(2026, 11, 25, 17, 30, tzinfo=UTC))
    text = document_text(draws_docx(cast, made.pk))
    assert "抽签时间：2026-11-26 01:30" in text  # Asia/Shanghai, not UTC
    publication = draws.draw_publish(cast.supervisor, made)
    published = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    DrawPublication.objects.filter(pk=publication.pk).update(published_at=published)
    text = document_text(draws_docx(cast, made.pk))
    assert chinese_date(date(2026, 11, 27)) in text


def draws_docx(cast: Cast, pk: int) -> bytes:
    response = client_for(cast.supervisor).get(reverse("inspection:draw_docx", args=[pk]))
    assert response.status_code == 200
    return response.content


def test_the_check_command_names_the_files_as_they_are_downloaded(cast: Cast) -> None:
    world(cast)
    made = draws.draw_prepare(
        cast.supervisor, cast.county, draws.DrawRequest("冬季", count=1, per_school=1)
    )
    made = draws.draw_run(cast.supervisor, made)
    client = client_for(cast.clerk_a)
    page = client.get(reverse("inspection:draw", args=[made.pk])).content.decode()
    command = re.search(r'<code id="check-command">([^<]*)</code>', page)
    assert command is not None
    args = command.group(1).split()
    for name, option in (
        ("schools", "--schools"),
        ("inspectors", "--inspectors"),
        ("conflicts", "--conflicts"),
    ):
        response = client.get(reverse("inspection:draw_file", args=[made.pk, name]))
        downloaded = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
        assert downloaded is not None
        assert args[args.index(option) + 1] == downloaded.group(1)
    assert args[args.index("--seed") + 1] == made.seed


# ---------------------------------------------------------------- 9, 12. links on the pages


def test_the_record_link_is_shown_only_to_those_allowed_to_record(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w, inspectors=[w.sun])
    other = visits.target_add(cast.supervisor, plan, cast.school_b, [w.zhou])
    mine = reverse("inspection:visit_record", args=[target.pk])
    theirs = reverse("inspection:visit_record", args=[other.pk])
    plan_url = reverse("inspection:plan", args=[plan.pk])
    leader = client_for(cast.leader).get(plan_url).content.decode()
    assert mine not in leader and theirs not in leader
    assert client_for(cast.leader).get(mine).status_code == 403
    inspector = client_for(cast.inspector).get(plan_url).content.decode()
    assert mine in inspector and theirs not in inspector
    office = client_for(cast.supervisor).get(plan_url).content.decode()
    assert mine in office and theirs in office


def test_the_visit_page_shows_who_recorded_it_and_links_the_items(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(
        cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))]
    )
    item = Rectification.objects.get()
    page = client_for(cast.supervisor).get(reverse("inspection:visit", args=[visit.pk]))
    text = page.content.decode()
    recorder = cast.inspector.get_full_name() or cast.inspector.username
    assert f"记录人：{recorder}" in text and "记录时间：" in text
    assert reverse("rectification:detail", args=[item.pk]) in text
    school_b = client_for(cast.clerk_b).get(reverse("inspection:visit", args=[visit.pk]))
    assert school_b.status_code == 404


# ---------------------------------------------------------------- 11. re-inspection


def test_a_second_press_for_the_same_open_items_is_refused_until_visited(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))])
    first = visits.reinspection_plan(cast.supervisor, cast.county, today=TODAY, scheduled=TODAY)
    with pytest.raises(ServiceError, match="尚未检查，无需重复生成"):
        visits.reinspection_plan(cast.supervisor, cast.county, today=TODAY, scheduled=TODAY)
    response = client_for(cast.supervisor).post(
        reverse("inspection:reinspection", args=[cast.county.pk]), {"scheduled": ""}
    )
    assert response.status_code == 302 and "/county/" in response["Location"]
    assert InspectionPlan.objects.exclude(pk=target.plan_id).count() == 1
    # once the re-inspection visit is recorded a new plan for the same items may be made
    made_before(first)
    again = first.targets.get()
    again.inspectors.set([w.sun])
    record(cast, again, w)
    assert (
        visits.reinspection_plan(cast.supervisor, cast.county, today=TODAY, scheduled=TODAY).pk
        != first.pk
    )
