"""Second audit of inspections (helper i6): department sees the visit of its item, findings
need a responsible person, re-inspection dates, schedule gaps named, visit form messages."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.core.management.demo_inspection import seed_inspection
from dudao.inspection import visits
from dudao.inspection.models import Finding, Visit
from dudao.orgs.models import Institution
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)


def record(cast: Cast, target: object, w: object, **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=VISITED,
        choices=all_scores(),
        inspectors=[w.sun],  # type: ignore[attr-defined]
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.inspector, target, data, today=TODAY)  # type: ignore[arg-type]


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
