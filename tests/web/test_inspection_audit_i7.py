"""Third audit of inspections (helper i7): who may be recorded as a visit's inspector, 回避 of a
planned inspector, file contents, plans only from published draws, visit dates, a refused
substitution keeps what was typed, a re-inspection needs its date."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world
from test_inspection_draw_plans import drawn_plan, edit_data, substitute
from test_inspection_draws import more_schools, prepared

from dudao.core.uploads import content_mismatch
from dudao.inspection import draws, services, visits
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import Conflict, InspectionPlan, Inspector, Visit
from dudao.rectification import services as rectification_services
from dudao.rectification.errors import RectificationError

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def record(cast: Cast, target: object, inspectors: list[Inspector], **kw: object) -> Visit:
    data = visits.VisitData(
        visited_on=kw.pop("visited_on", date(2026, 12, 1)),  # type: ignore[arg-type]
        choices=all_scores(),
        inspectors=inspectors,
        **kw,  # type: ignore[arg-type]
    )
    return visits.visit_record(cast.supervisor, target, data, today=TODAY)  # type: ignore[arg-type]


# ---------------------------------------------------------------- 1. the visit's inspectors


def test_a_visit_is_refused_with_an_inspector_who_must_not_inspect_the_school(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    school = cast.school_a.name
    with pytest.raises(ServiceError, match=f"{w.li.name}在{school}工作，应当回避"):
        record(cast, target, [w.sun, w.li])
    services.conflict_add(cast.supervisor, w.wu, cast.school_a, "子女在该校就读")
    with pytest.raises(ServiceError, match=f"{w.wu.name}已登记回避{school}（子女在该校就读）"):
        record(cast, target, [w.wu])
    w.zhou.active = False
    w.zhou.save()
    with pytest.raises(ServiceError, match=f"{w.zhou.name}已不在岗，不能派往{school}"):
        record(cast, target, [w.zhou])
    assert not Visit.objects.exists()
    assert record(cast, target, [w.sun]).inspectors.get() == w.sun


def test_the_record_form_shows_the_refusal_of_an_inspector_who_works_at_the_school(
    cast: Cast,
) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    form = {
        "visited_on": "2026-11-20",
        "inspectors": [w.li.pk],
        **{f"score_{k}": v for k, v in all_scores().items()},
    }
    url = reverse("inspection:visit_record", args=[target.pk])
    page = client_for(cast.supervisor).post(url, form, follow=True).content.decode()
    assert f"{w.li.name}在{cast.school_a.name}工作，应当回避" in page
    assert not Visit.objects.exists()


# ---------------------------------------------------------------- 2. 回避 of a planned inspector


def test_a_conflict_with_a_school_the_inspector_is_planned_for_is_refused_naming_the_plan(
    cast: Cast,
) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w, title="冬季安全检查")
    wanted = (
        f"{w.sun.name}已被安排检查{cast.school_a.name}（计划：“冬季安全检查”），"
        "请先在计划中替换督学"
    )
    with pytest.raises(ServiceError) as refused:
        services.conflict_add(cast.supervisor, w.sun, cast.school_a, "亲属在该校任职")
    assert refused.value.message == wanted
    assert not Conflict.objects.exists()
    record(cast, target, [w.sun])  # once visited, the plan no longer stands in the way
    services.conflict_add(cast.supervisor, w.sun, cast.school_a, "亲属在该校任职")
    assert Conflict.objects.filter(inspector=w.sun, institution=cast.school_a).exists()


# ---------------------------------------------------------------- 3. file contents


def test_a_program_named_jpg_is_refused_by_its_content(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    fake = SimpleUploadedFile("fake.jpg", EXE)
    with pytest.raises(ServiceError) as refused:
        record(cast, target, [w.sun], files=[fake])
    assert refused.value.message == "“fake.jpg”的内容与扩展名不符（不是 JPEG 图片），未上传"
    assert not Visit.objects.exists()
    with pytest.raises(RectificationError, match=r"“fake\.jpg”的内容与扩展名不符"):
        rectification_services.check_file(SimpleUploadedFile("fake.jpg", EXE))


@pytest.mark.parametrize(
    ("name", "content", "refused"),
    [
        ("a.jpg", b"\xff\xd8\xff\xe0rest", False),
        ("a.png", b"\x89PNG\r\n\x1a\n", False),
        ("a.png", b"\xff\xd8\xff\xe0rest", True),
        ("a.pdf", b"%PDF-1.7", False),
        ("a.pdf", EXE, True),
        ("a.docx", b"PK\x03\x04rest", False),
        ("a.xlsx", b"%PDF-1.7", True),
        ("a.doc", b"\xd0\xcf\x11\xe0rest", False),
        ("a.txt", "整改情况说明".encode(), False),
        ("a.csv", "学校,问题".encode("gb18030"), False),
        ("a.txt", b"text\x00with a NUL", True),
    ],
)
def test_each_type_is_checked_by_its_leading_bytes(
    name: str, content: bytes, refused: bool
) -> None:
    assert bool(content_mismatch(SimpleUploadedFile(name, content))) is refused


def test_the_check_reads_from_the_start_and_leaves_the_file_at_its_start() -> None:
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7 body")
    upload.read(3)
    assert content_mismatch(upload) == ""
    assert upload.read() == b"%PDF-1.7 body"


# ---------------------------------------------------------------- 4. plans from published draws


def test_a_plan_is_made_only_from_a_published_draw(cast: Cast) -> None:
    world(cast)
    more_schools(cast)
    made = draws.draw_run(cast.supervisor, prepared(cast))
    with pytest.raises(ServiceError, match="抽签结果公示后才能生成督查计划"):
        draws.plan_from_draw(cast.supervisor, made)
    client = client_for(cast.supervisor)
    action = reverse("inspection:plan_from_draw", args=[made.pk])
    page = client.get(reverse("inspection:draw", args=[made.pk])).content.decode()
    assert action not in page and "抽签结果公示后才能生成督查计划" in page
    refused = client.post(action, {}, follow=True).content.decode()
    assert "抽签结果公示后才能生成督查计划" in refused
    assert not InspectionPlan.objects.filter(draw=made).exists()
    draws.draw_publish(cast.supervisor, made)
    assert action in client.get(reverse("inspection:draw", args=[made.pk])).content.decode()
    assert draws.plan_from_draw(cast.supervisor, made).draw_id == made.pk


# ---------------------------------------------------------------- 5. a visit before its plan


def test_a_visit_dated_before_its_plan_was_made_is_refused_naming_the_date(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)  # made on 2026-09-01 (local date)
    with pytest.raises(ServiceError) as refused:
        record(cast, target, [w.sun], visited_on=date(2026, 8, 31))
    assert "检查日期 2026-08-31 早于督查计划的制定日期 2026-09-01" in refused.value.message
    assert not Visit.objects.exists()
    assert record(cast, target, [w.sun], visited_on=date(2026, 9, 1)).target == target


# ---------------------------------------------------------------- 6. a refused substitution


def test_a_refused_substitution_shows_the_plan_page_with_the_choice_kept(cast: Cast) -> None:
    w = world(cast)
    _, target = drawn_plan(cast, w)
    drawn = set(target.inspectors.all())
    chosen = substitute(w, target)
    response = client_for(cast.supervisor).post(
        reverse("inspection:target_edit", args=[target.pk]), edit_data(target, [chosen])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "须填写替换理由" in page and "未保存" in page
    assert f'<option value="{chosen.pk}" selected>' in page
    assert all(f'<option value="{i.pk}" selected>' not in page for i in drawn)
    assert set(target.inspectors.all()) == drawn


# ---------------------------------------------------------------- 7. a re-inspection's date


def test_a_reinspection_without_a_date_is_refused(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w)
    finding = visits.FindingData("问题一", deadline=date(2026, 12, 31))
    record(cast, target, [w.sun], findings=[finding])
    with pytest.raises(ServiceError, match="请填写复查日期"):
        visits.reinspection_plan(cast.supervisor, cast.county, today=TODAY)
    assert InspectionPlan.objects.count() == 1


def test_the_visit_page_says_when_the_inspectors_differ_from_the_plan(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w, inspectors=[w.sun, w.zhou])
    other = record(cast, target, [w.sun, w.wu])
    page = client_for(cast.supervisor).get(reverse("inspection:visit", args=[other.pk]))
    wanted = (
        f"实际检查督学与计划不同：计划 {w.sun.name}、{w.zhou.name}，实际 {w.sun.name}、{w.wu.name}"
    )
    assert wanted in page.content.decode()
    _, same_target = plan_with_target(cast, w, title="另一计划")
    same = record(cast, same_target, [w.sun])
    page = client_for(cast.supervisor).get(reverse("inspection:visit", args=[same.pk]))
    assert "实际检查督学与计划不同" not in page.content.decode()


def test_the_record_form_offers_the_planned_inspectors_first(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w, inspectors=[w.wu])  # DX004, after DX001 by code
    url = reverse("inspection:visit_record", args=[target.pk])
    page = client_for(cast.supervisor).get(url).content.decode()
    page = page[page.index('name="inspectors"') :]
    page = page[: page.index("</select>")]
    planned = page.index(f'<option value="{w.wu.pk}" selected>')
    assert planned < page.index(f'<option value="{w.sun.pk}">')
    assert planned < page.index(f'<option value="{w.zhou.pk}">')
