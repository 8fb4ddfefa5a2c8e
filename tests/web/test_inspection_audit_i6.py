"""Second audit of inspections (helper i6): department sees the visit of its item, findings
need a responsible person, re-inspection dates, schedule gaps named, visit form messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from inspection_builders import all_scores, plan_with_target, world
from test_inspection_audit_i4 import record

from dudao.core.management.demo_inspection import seed_inspection
from dudao.inspection import services, visits
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import Finding, InspectionPlan, Visit
from dudao.orgs.models import Institution
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)


def test_a_department_sees_the_visit_that_gave_it_an_item(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    finding = visits.FindingData(
        "教材征订不及时",
        deadline=date(2026, 12, 31),
        department=cast.department,
        responsible="王股长",
    )
    visit = record(cast, target, w, findings=[finding])
    _, other_target = plan_with_target(cast, w, title="另一计划")
    unrelated = record(cast, other_target, w)
    for name in ("inspection:visit", "inspection:visit_docx"):
        url = reverse(name, args=[visit.pk])
        assert client_for(cast.department_head).get(url).status_code == 200, name
        assert client_for(cast.other_department_head).get(url).status_code == 404, name
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    unrelated_url = reverse("inspection:visit", args=[unrelated.pk])
    assert client_for(cast.department_head).get(unrelated_url).status_code == 404


def record_form(w: object, **extra: object) -> dict[str, object]:
    return {
        "visited_on": "2026-11-20",
        "inspectors": [w.sun.pk],  # type: ignore[attr-defined]
        **{f"score_{k}": v for k, v in all_scores().items()},
        **extra,
    }


def test_a_finding_without_a_responsible_person_is_refused_on_the_form(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    client = client_for(cast.inspector)
    url = reverse("inspection:visit_record", args=[target.pk])
    form = record_form(w, **{"f0-problem": "消防通道堆放杂物", "f0-deadline": "2026-12-20"})
    response = client.post(url, form)
    text = response.content.decode()
    assert response.status_code == 200 and "填写了问题，请同时填写责任人" in text
    assert "问题 1：填写了问题，请同时填写责任人" in text
    assert not Visit.objects.exists() and not Rectification.objects.exists()
    assert client.post(url, {**form, "f0-responsible": "安全办主任"}).status_code == 302
    assert Rectification.objects.get().responsible == "安全办主任"
    # adding findings to the recorded visit asks the same
    visit = Visit.objects.get()
    add = reverse("inspection:findings_add", args=[visit.pk])
    response = client.post(add, {"f0-problem": "厕所无洗手液", "f0-deadline": "2026-12-20"})
    page = client.get(response["Location"]).content.decode()
    assert "问题 1：填写了问题，请同时填写责任人" in page
    assert Rectification.objects.count() == 1


def test_a_missing_score_names_the_checklist_item(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    url = reverse("inspection:visit_record", args=[target.pk])
    form = record_form(w)
    del form["score_1.2"]
    form["inspectors"] = []
    text = client_for(cast.inspector).post(url, form).content.decode()
    assert "第 1.2 项“食堂留样规范”尚未评定，请选择评定结果" in text
    assert "检查记录未保存：" in text and "请选择参加本次检查的督学" in text
    assert "这个字段是必填项" not in text
    assert not Visit.objects.exists()


def test_the_demo_visit_findings_name_a_responsible_person(cast: Cast) -> None:
    extra = [
        Institution.objects.create(
            code=f"21519000{k:02d}",
            name=f"示例第{k}小学",
            school_type="小学",
            ownership="公办",
            county=cast.county,
        )
        for k in range(6)
    ]
    users = {"demo_supervisor": cast.supervisor, "demo_inspector": cast.inspector}
    seed_inspection(cast.county, [cast.school_a, cast.school_b, *extra], users, TODAY)
    findings = Finding.objects.all()
    assert findings.count() == 3 and all(f.responsible for f in findings)
    items = Rectification.objects.filter(source="inspection")
    assert items.count() == 3 and all(r.responsible for r in items)


def test_the_default_complaint_phone_is_labelled_as_the_public_hotline(cast: Cast) -> None:
    url = reverse("inspection:sign_card", args=[cast.school_a.pk])
    page = client_for(cast.supervisor).get(url).content.decode()
    assert "12345（政务服务便民热线）" in page


def test_a_reinspection_date_in_the_past_is_refused_naming_the_field(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))])
    with pytest.raises(ServiceError, match="复查日期 2026-01-05 早于今天"):
        visits.reinspection_plan(
            cast.supervisor, cast.county, today=TODAY, scheduled=date(2026, 1, 5)
        )
    assert not InspectionPlan.objects.exclude(pk=target.plan_id).exists()
    client = client_for(cast.supervisor)
    url = reverse("inspection:reinspection", args=[cast.county.pk])
    past = client.post(url, {"scheduled": "2026-01-05"}, follow=True).content.decode()
    assert "复查日期 2026-01-05 早于今天" in past
    assert (
        "复查日期格式不正确"
        in client.post(url, {"scheduled": "明天"}, follow=True).content.decode()
    )
    assert not InspectionPlan.objects.exclude(pk=target.plan_id).exists()
    # the correct date is then accepted, not blocked as a duplicate
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert "/plan/" in client.post(url, {"scheduled": later})["Location"]


def test_the_monthly_schedule_names_the_schools_without_an_assigned_inspector(cast: Cast) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_b, w.zhou)
    url = reverse("inspection:visit_schedule", args=[cast.county.pk])
    response = client_for(cast.supervisor).post(url, {"month": "2026-12"}, follow=True)
    text = response.content.decode()
    plan = InspectionPlan.objects.get(visit_month=date(2026, 12, 1))
    assert f"1 所学校尚未指定责任督学，未安排随访：{cast.school_a.name}" in text
    assert f"尚未指定责任督学，未安排随访：{cast.school_a.name}" in plan.notes
    assert cast.school_c.name not in plan.notes  # another county's school
