"""Plans, visits, findings: scores, rectification items, unannounced plans, files, re-inspection."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import all_scores, plan_with_target, world

from dudao.core.officialdoc import document_text
from dudao.inspection import visits
from dudao.inspection.choices import PlanKind
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import InspectionPlan, Visit
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)  # the day the tests record visits (visits may not lie ahead)


def record(cast: Cast, target: object, w: object, **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=VISITED,
        choices=kw.pop("choices", all_scores()),  # type: ignore[arg-type]
        inspectors=[w.sun],  # type: ignore[attr-defined]
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.inspector, target, data, today=TODAY)  # type: ignore[arg-type]


def test_a_visit_is_scored_against_the_pass_mark(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(cast, target, w, choices={"1.1": "0", "1.2": "1", "2.1": "1"})
    assert (visit.total, visit.full, visit.passed) == (20, 40, False)
    assert visit.choices == {"1.1": 0, "1.2": 1, "2.1": 1}


def test_an_incomplete_score_sheet_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    with pytest.raises(ServiceError, match="评分不完整"):
        record(cast, target, w, choices={"1.1": "0"})
    assert not Visit.objects.exists()


def test_findings_become_rectification_items_once(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    findings = [
        visits.FindingData("食堂留样记录不全", "补齐留样台账", date(2026, 12, 31)),
        visits.FindingData(
            "校舍维修经费未到位", deadline=date(2026, 12, 31), department=cast.department
        ),
    ]
    visit = record(cast, target, w, findings=findings)
    items = Rectification.objects.order_by("source_key")
    assert [i.source_key for i in items] == [
        f"visit:{visit.pk}:finding:1",
        f"visit:{visit.pk}:finding:2",
    ]
    first, second = items
    assert first.source == "inspection" and first.institution == cast.school_a
    assert first.source_label == f"{plan.title} 2026-12-01" and first.deadline == date(2026, 12, 31)
    assert second.department == cast.department and second.institution is None
    visits.findings_to_rectification(cast.inspector, visit, [])
    assert Rectification.objects.count() == 2


def test_a_second_visit_of_the_same_target_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w)
    with pytest.raises(ServiceError, match="不能重复记录"):
        record(cast, target, w)


def test_an_inspector_not_assigned_to_the_target_cannot_record_it(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w, inspectors=[w.zhou])
    with pytest.raises(PermissionDenied):
        record(cast, target, w)
    url = reverse("inspection:visit_record", args=[target.pk])
    assert client_for(cast.inspector).get(url).status_code == 403
    assert client_for(cast.other_inspector).get(url).status_code == 404


def test_a_finding_deadline_before_the_visit_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    with pytest.raises(ServiceError, match="早于检查日期"):
        record(cast, target, w, findings=[visits.FindingData("x", deadline=date(2026, 1, 1))])
    assert not Rectification.objects.exists()


def test_files_are_limited_by_type_and_size(cast: Cast, settings: object) -> None:
    settings.EVIDENCE_MAX_BYTES = 10  # type: ignore[attr-defined]
    w = world(cast)
    _, target = plan_with_target(cast, w)
    exe = SimpleUploadedFile("a.exe", b"12345")
    with pytest.raises(ServiceError, match="不支持该文件类型"):
        record(cast, target, w, files=[exe])
    big = SimpleUploadedFile("a.jpg", b"x" * 11)
    with pytest.raises(ServiceError, match="文件过大"):
        record(cast, target, w, files=[big])
    visit = record(cast, target, w, files=[SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0jpg")])
    stored = visit.files.get()
    assert stored.name == "现场.jpg" and stored.size == 7
    download = client_for(cast.clerk_a).get(reverse("inspection:visit_file", args=[stored.pk]))
    assert download.status_code == 200
    assert (
        client_for(cast.clerk_b).get(reverse("inspection:visit_file", args=[stored.pk])).status_code
        == 404
    )


def test_an_unannounced_plan_is_missing_for_the_school_until_the_visit_is_recorded(
    cast: Cast,
) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w, kind=PlanKind.UNANNOUNCED, title="食堂暗访")
    plan_url = reverse("inspection:plan", args=[plan.pk])
    for who in ("clerk_a", "principal_a", "clerk_b", "department_head"):
        assert client_for(getattr(cast, who)).get(plan_url).status_code == 404, who
    home = client_for(cast.clerk_a).get(reverse("inspection:home")).content.decode()
    assert "食堂暗访" not in home
    assert client_for(cast.inspector).get(plan_url).status_code == 200  # assigned
    assert client_for(cast.supervisor).get(plan_url).status_code == 200
    assert client_for(cast.leader).get(plan_url).status_code == 404  # until the visit
    visit = record(cast, target, w)
    assert client_for(cast.leader).get(plan_url).status_code == 200
    visit_url = reverse("inspection:visit", args=[visit.pk])
    assert client_for(cast.clerk_a).get(visit_url).status_code == 200
    assert client_for(cast.clerk_b).get(visit_url).status_code == 404
    assert client_for(cast.clerk_a).get(plan_url).status_code == 404
    assert "食堂暗访" in client_for(cast.clerk_a).get(reverse("inspection:home")).content.decode()


def test_an_unassigned_inspector_sees_neither_the_unannounced_plan_nor_its_targets(
    cast: Cast,
) -> None:
    w = world(cast)
    plan, target = plan_with_target(
        cast, w, kind=PlanKind.UNANNOUNCED, inspectors=[w.zhou], title="夜间暗访"
    )
    routine, _ = plan_with_target(cast, w, inspectors=[w.zhou], title="常规")
    client = client_for(cast.inspector)
    assert client.get(reverse("inspection:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("inspection:visit_record", args=[target.pk])).status_code == 404
    assert client.get(reverse("inspection:plan", args=[routine.pk])).status_code == 200
    county = client.get(reverse("inspection:county", args=[cast.county.pk])).content.decode()
    assert "常规" in county and "夜间暗访" not in county


def test_the_record_form_saves_a_visit_with_a_finding(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    client = client_for(cast.inspector)
    url = reverse("inspection:visit_record", args=[target.pk])
    page = client.get(url).content.decode()
    assert "消防通道畅通" in page
    form = {
        "visited_on": "2026-11-20",
        "inspectors": [w.sun.pk],
        "notes": "整体良好",
        "score_1.1": "0",
        "score_1.2": "0",
        "score_2.1": "1",
        "f0-problem": "课表与实际不一致",
        "f0-deadline": "2026-12-20",
        "f0-responsible": "教务主任",
        "files": [SimpleUploadedFile("记录.pdf", b"%PDF-1.4")],
    }
    response = client.post(url, form)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/visit/{visit.pk}/")
    assert visit.total == 30 and visit.passed and visit.files.count() == 1
    item = Rectification.objects.get()
    assert item.problem == "课表与实际不一致" and item.institution == cast.school_a
    report = client.get(response["Location"]).content.decode()
    assert "课表与实际不一致" in report and "合格" in report
    assert client.get(url)["Location"].endswith(f"/visit/{visit.pk}/")


def test_the_visit_report_docx_has_scores_and_findings(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    visit = record(
        cast, target, w, findings=[visits.FindingData("消防通道堵塞", deadline=date(2026, 12, 31))]
    )
    response = client_for(cast.principal_a).get(reverse("inspection:visit_docx", args=[visit.pk]))
    text = document_text(response.content)
    assert "石桥镇中心小学督查情况报告" in text and "消防通道堵塞" in text and "总分 40" in text


def test_the_office_makes_plans_and_targets_through_the_forms(cast: Cast) -> None:
    w = world(cast)
    client = client_for(cast.supervisor)
    new = reverse("inspection:plan_new", args=[cast.county.pk])
    assert client_for(cast.inspector).get(new).status_code == 403
    refused = client.post(new, {"title": "专项", "kind": "special", "topic": ""})
    assert "专项督导请选择主题" in refused.content.decode()
    response = client.post(new, {"title": "食堂专项", "kind": "special", "topic": "canteens"})
    plan = InspectionPlan.objects.get()
    assert response["Location"].endswith(f"/plan/{plan.pk}/")
    client.post(
        reverse("inspection:target_add", args=[plan.pk]),
        {"institution": cast.school_b.pk, "inspectors": [w.zhou.pk], "scheduled": "2026-12-09"},
    )
    assert plan.targets.get().institution == cast.school_b
    assert (
        client_for(cast.leader)
        .post(reverse("inspection:target_add", args=[plan.pk]), {})
        .status_code
        == 403
    )


def test_a_leader_cannot_add_targets(cast: Cast) -> None:
    w = world(cast)
    plan, _ = plan_with_target(cast, w)
    with pytest.raises(PermissionDenied):
        visits.target_add(cast.leader, plan, cast.school_b, [w.zhou])


def test_reinspection_targets_the_schools_with_open_items(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))])
    plan = visits.reinspection_plan(
        cast.supervisor, cast.county, today=date(2026, 12, 10), scheduled=date(2026, 12, 10)
    )
    assert [t.institution for t in plan.targets.all()] == [cast.school_a]
    assert plan.kind == PlanKind.ROUTINE and "2026年12月10日复查" in plan.title
    with pytest.raises(ServiceError, match="没有未销号"):
        visits.reinspection_plan(
            cast.other_supervisor,
            cast.other_county,
            today=date(2026, 12, 10),
            scheduled=date(2026, 12, 10),
        )
    plan.delete()
    url = reverse("inspection:reinspection", args=[cast.county.pk])
    client = client_for(cast.supervisor)
    refused = client.post(url, {"scheduled": ""}, follow=True)
    assert "请填写复查日期" in refused.content.decode()
    assert not InspectionPlan.objects.filter(title__contains="复查").exists()
    response = client.post(url, {"scheduled": f"{timezone.localdate():%Y-%m-%d}"})
    assert response.status_code == 302 and "/plan/" in response["Location"]


def test_the_visit_list_on_home_has_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    w = world(cast)
    for n in range(6):
        _, target = plan_with_target(cast, w, title=f"计划{n}")
        record(cast, target, w)
    client = client_for(cast.supervisor)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        response = client.get(reverse("inspection:home"))
    assert response.content.decode().count("/inspection/visit/") == 6


def test_plan_and_visit_pages_of_another_county_are_missing(cast: Cast) -> None:
    w = world(cast)
    plan, target = plan_with_target(cast, w)
    visit = record(cast, target, w)
    client = client_for(cast.other_supervisor)
    for url in (
        reverse("inspection:plan", args=[plan.pk]),
        reverse("inspection:visit", args=[visit.pk]),
        reverse("inspection:visit_docx", args=[visit.pk]),
        reverse("inspection:visit_record", args=[target.pk]),
    ):
        assert client.get(url).status_code == 404, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")


def test_the_county_plan_and_assignment_pages_have_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    w = world(cast)
    for n in range(5):
        plan, target = plan_with_target(cast, w, title=f"计划{n}")
        visits.target_add(cast.supervisor, plan, cast.school_b, [w.zhou, w.wu])
        record(cast, target, w)
    client = client_for(cast.supervisor)
    pages = (
        reverse("inspection:county", args=[cast.county.pk]),
        reverse("inspection:plan", args=[plan.pk]),
        reverse("inspection:assignments", args=[cast.county.pk]),
    )
    for url in pages:
        with django_assert_max_num_queries(16):  # type: ignore[operator]
            assert client.get(url).status_code == 200


def test_a_school_cannot_open_the_record_form_of_its_own_target(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    url = reverse("inspection:visit_record", args=[target.pk])
    assert client_for(cast.clerk_a).get(url).status_code == 404
    assert client_for(cast.leader).get(url).status_code == 403
