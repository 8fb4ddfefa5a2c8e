"""Fixes from the inspection audit (items 2, 3, 5, 6, 8, 11, 12, 15): deadlines of findings,
conflicts of assigned inspectors, draws seen by department staff, plans in the draw's order,
the documents of draws and visits, phone numbers, the findings' department, reinspection titles.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import PASSWORD, Cast, client_for
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.core.management.demo_inspection import seed_inspection
from dudao.core.officialdoc import document_text
from dudao.inspection import draws, services, visits
from dudao.inspection.choices import PlanKind, PlanTopic
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import Assignment, Conflict, InspectionPlan, RandomDraw, Visit
from dudao.orgs.choices import Role
from dudao.orgs.models import Department, Institution, Membership
from dudao.rectification.models import Rectification

pytestmark = pytest.mark.django_db
VISITED = date(2026, 12, 1)
TODAY = date(2026, 12, 10)


def more_schools(cast: Cast, n: int = 4) -> None:
    for k in range(n):
        Institution.objects.create(
            code=f"21510001{k:02d}",
            name=f"青川第{k + 2}小学",
            school_type="小学",
            ownership="公办",
            county=cast.county,
        )


def drawn(cast: Cast, title: str = "2026年冬季专项督查抽签") -> RandomDraw:
    """A draw whose schools and inspectors came out in an order other than their codes'."""
    more_schools(cast)
    for n in range(50):
        request = draws.DrawRequest(title=title, count=3, per_school=2)
        made = draws.draw_prepare(cast.supervisor, cast.county, request, seed=f"seed-{n}")
        made = draws.draw_run(cast.supervisor, made)
        picks = made.result["picks"]  # type: ignore[index]
        schools = [p["school"]["code"] for p in picks]
        inspectors = [[i["code"] for i in p["inspectors"]] for p in picks]
        if schools != sorted(schools) and any(c != sorted(c) for c in inspectors):
            return made
        made.delete()
    raise AssertionError("no seed gave an unsorted draw")


def record(cast: Cast, target: object, w: object, **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=VISITED,
        choices=all_scores(),
        inspectors=[w.sun],  # type: ignore[attr-defined]
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.inspector, target, data, today=TODAY)  # type: ignore[arg-type]


# ---------------------------------------------------------------- 2. findings need a deadline


def test_a_finding_without_a_deadline_is_refused_by_the_service(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    with pytest.raises(ServiceError, match="第1个问题没有填写整改时限"):
        record(cast, target, w, findings=[visits.FindingData("消防通道堵塞", "清理")])
    assert not Visit.objects.exists() and not Rectification.objects.exists()
    visit = record(cast, target, w)
    with pytest.raises(ServiceError, match="第2个问题没有填写整改时限"):
        visits.findings_add(
            cast.inspector,
            visit,
            [visits.FindingData("一", deadline=date(2026, 12, 20)), visits.FindingData("二")],
        )
    assert not Rectification.objects.exists()


def test_the_findings_form_refuses_a_problem_without_deadline_on_that_rows_field(
    cast: Cast,
) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    client = client_for(cast.inspector)
    url = reverse("inspection:visit_record", args=[target.pk])
    form = {
        "visited_on": "2026-11-20",
        "inspectors": [w.sun.pk],
        **{f"score_{k}": v for k, v in all_scores().items()},
        "f0-problem": "课表与实际不一致",
        "f0-deadline": "2026-12-20",
        "f0-responsible": "教务主任",
        "f2-problem": "食堂留样不全",
        "f2-responsible": "后勤主任",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "填写了问题，请同时填写整改时限" in response.content.decode()
    assert not Visit.objects.exists() and not Rectification.objects.exists()
    assert client.post(url, {**form, "f2-deadline": "2026-12-25"}).status_code == 302
    assert Rectification.objects.get(problem="食堂留样不全").deadline == date(2026, 12, 25)


# ---------------------------------------------------------------- 3. conflict of the assigned one


def test_a_conflict_with_the_school_of_which_the_inspector_is_in_charge_is_refused(
    cast: Cast,
) -> None:
    w = world(cast)
    services.assignment_set(cast.supervisor, cast.school_a, w.zhou)
    with pytest.raises(ServiceError) as refused:
        services.conflict_add(cast.supervisor, w.zhou, cast.school_a, "子女在该校就读")
    assert "周督学是石桥镇中心小学的责任督学，不能登记回避" in refused.value.message
    assert "请先" in refused.value.message and "改派" in refused.value.message
    assert not Conflict.objects.exists()
    assert Assignment.objects.get(institution=cast.school_a).inspector == w.zhou
    url = reverse("inspection:conflict_add", args=[w.zhou.pk])
    response = client_for(cast.supervisor).post(
        url, {"institution": cast.school_a.pk, "reason": "子女在该校就读"}, follow=True
    )
    assert "周督学是石桥镇中心小学的责任督学" in response.content.decode()
    assert not Conflict.objects.exists()
    services.assignment_set(cast.supervisor, cast.school_a, w.wu)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_a, "子女在该校就读")
    assert Conflict.objects.get().inspector == w.zhou


# ---------------------------------------------------------------- 5. no English label


def test_checklist_forms_show_no_english_version_label(cast: Cast) -> None:
    w = world(cast)
    client = client_for(cast.supervisor)
    for url in (
        reverse("inspection:checklist_new", args=[cast.county.pk]),
        reverse("inspection:checklist", args=[w.checklist.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Version" not in page, url
        assert 'type="hidden" name="version"' in page or 'name="version"' not in page


# ---------------------------------------------------------------- 6. department staff see draws


def test_department_staff_see_their_countys_draws_and_no_other(cast: Cast) -> None:
    world(cast)
    made = drawn(cast)
    client = client_for(cast.department_head)
    assert made.title in client.get(reverse("inspection:home")).content.decode()
    assert client.get(reverse("inspection:draw", args=[made.pk])).status_code == 200
    assert client.get(reverse("inspection:draw_docx", args=[made.pk])).status_code == 200
    elsewhere = Department.objects.create(name="河西教育股", county=cast.other_county)
    stranger = User.objects.create_user("hx_dept", password=PASSWORD)
    Membership.objects.create(user=stranger, role=Role.DEPARTMENT, department=elsewhere)
    other = client_for(stranger)
    assert other.get(reverse("inspection:draw", args=[made.pk])).status_code == 404
    assert made.title not in other.get(reverse("inspection:home")).content.decode()
    anonymous = Client().get(reverse("inspection:draw", args=[made.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")


# ---------------------------------------------------------------- 8. plan from a draw


def test_the_plan_from_a_draw_keeps_the_draws_order_title_and_chosen_kind(cast: Cast) -> None:
    world(cast)
    made = drawn(cast)
    draws.draw_publish(cast.supervisor, made)
    client = client_for(cast.supervisor)
    response = client.post(
        reverse("inspection:plan_from_draw", args=[made.pk]),
        {"kind": PlanKind.SPECIAL, "topic": PlanTopic.SAFETY, "scheduled": "2026-12-03"},
    )
    plan = InspectionPlan.objects.get(draw=made)
    assert response.status_code == 302
    assert plan.title == "2026年冬季专项督查" and plan.kind == PlanKind.SPECIAL
    assert plan.topic == PlanTopic.SAFETY
    page = client.get(reverse("inspection:plan", args=[plan.pk])).content.decode()
    picks = made.result["picks"]  # type: ignore[index]
    names = [p["school"]["name"] for p in picks]
    assert sorted(names, key=page.index) == names
    for pick in picks:
        wanted = "、".join(i["name"] for i in pick["inspectors"])
        assert wanted in page


def test_plan_titles_from_draw_titles_do_not_double_the_word() -> None:
    assert draws.plan_title("2026年冬季专项督查抽签") == "2026年冬季专项督查"
    assert draws.plan_title("2026年秋季学期") == "2026年秋季学期督查"
    assert draws.plan_title("2026年春季食堂检查") == "2026年春季食堂检查"


def test_a_plan_from_a_draw_is_routine_by_default_and_a_special_one_needs_a_topic(
    cast: Cast,
) -> None:
    world(cast)
    made = drawn(cast, title="2026年秋季学期")
    draws.draw_publish(cast.supervisor, made)
    with pytest.raises(ServiceError, match="专项督导请选择主题"):
        draws.plan_from_draw(cast.supervisor, made, kind=PlanKind.SPECIAL)
    with pytest.raises(ServiceError, match="只能是常规督查、专项督导或线上巡查"):
        draws.plan_from_draw(cast.supervisor, made, kind=PlanKind.UNANNOUNCED)
    page = client_for(cast.supervisor).get(reverse("inspection:draw", args=[made.pk]))
    assert 'name="kind"' in page.content.decode()
    plan = draws.plan_from_draw(cast.supervisor, made)
    assert plan.kind == PlanKind.ROUTINE and plan.title == "2026年秋季学期督查"


# ---------------------------------------------------------------- 11. the draw notice


def test_the_draw_notice_lists_candidates_conflicts_and_where_the_files_are(
    cast: Cast, settings: object
) -> None:
    w = world(cast)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "配偶在该校任教")
    made = drawn(cast)
    settings.DUDAO_SITE_URL = "https://dudao.example.cn/"  # type: ignore[attr-defined]
    response = client_for(cast.clerk_a).get(reverse("inspection:draw_docx", args=[made.pk]))
    text = document_text(response.content)
    assert "附件1　候选学校名单" in text and "附件2　候选督学名单" in text
    assert f"{cast.school_b.code} | 城关第一初级中学" in text
    for code, name in (("DX001", "孙督学"), ("DX004", "吴督学")):
        assert f"{code} | {name}" in text
    assert "周督学（DX003） | 城关第一初级中学（2151000002） | 配偶在该校任教" in text
    assert f"https://dudao.example.cn/inspection/draw/{made.pk}/" in text
    assert "CSV" in text


# ---------------------------------------------------------------- 12. the visit report


def test_the_visit_report_labels_measures_and_names_the_responsible_person(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    finding = visits.FindingData(
        "消防通道堆放杂物", "立即清理通道", date(2026, 12, 20), responsible="后勤主任张某"
    )
    visit = record(cast, target, w, findings=[finding])
    response = client_for(cast.supervisor).get(reverse("inspection:visit_docx", args=[visit.pk]))
    text = document_text(response.content)
    assert "责任人：后勤主任张某" in text
    assert "整改措施：立即清理通道" in text
    assert "到位）立即清理通道" not in text


# ---------------------------------------------------------------- 15. smaller ones


def test_an_inspectors_phone_must_look_like_a_phone_number(cast: Cast) -> None:
    def save(phone: str) -> object:
        data = services.InspectorData(code="DX009", name="郑督学", phone=phone)
        return services.inspector_save(cast.supervisor, cast.county, data)

    with pytest.raises(ServiceError) as refused:
        save("abc")
    assert refused.value.errors["phone"].startswith("联系电话“abc”格式不正确")
    for good in ("13912345678", "0839-1234567", "08391234567", ""):
        inspector = save(good)
        inspector.delete()  # type: ignore[attr-defined]
    response = client_for(cast.supervisor).post(
        reverse("inspection:inspector_new", args=[cast.county.pk]),
        {"code": "DX009", "name": "郑督学", "kind": "part_time", "phone": "abc", "version": 0},
    )
    assert response.status_code == 200 and "格式不正确" in response.content.decode()


def test_the_findings_department_dropdown_says_the_school_itself(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    page = client_for(cast.inspector).get(reverse("inspection:visit_record", args=[target.pk]))
    text = page.content.decode()
    assert "（学校自身）" in text and "---------" not in text


def test_a_reinspection_plan_is_named_after_its_date_when_given(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    record(cast, target, w, findings=[visits.FindingData("问题一", deadline=date(2026, 12, 31))])
    plan = visits.reinspection_plan(
        cast.supervisor, cast.county, today=TODAY, scheduled=date(2026, 12, 20)
    )
    assert plan.title == "2026年12月20日复查（未销号问题）"


# ---------------------------------------------------------------- 16. demo consistency


def test_the_demo_visit_is_by_the_schools_assigned_inspector_and_the_draw_prepared_earlier(
    cast: Cast,
) -> None:
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
    schools = [*extra[:3], cast.school_a, cast.school_b, *extra[3:]]  # clerk_b's is the 5th
    users = {
        "demo_supervisor": cast.supervisor,
        "demo_inspector": cast.inspector,
        "demo_clerk": cast.clerk_b,
    }
    seed_inspection(cast.county, schools, users, date(2026, 11, 25))
    visit = Visit.objects.get()
    assigned = Assignment.objects.get(institution=cast.school_b).inspector
    assert visit.target.institution == cast.school_b
    assert list(visit.inspectors.all()) == [assigned]
    assert visit.recorded_by == assigned.user == cast.inspector
    draw = RandomDraw.objects.get()
    assert draw.drawn_at is not None
    assert draw.drawn_at - draw.prepared_at >= timedelta(hours=12)
