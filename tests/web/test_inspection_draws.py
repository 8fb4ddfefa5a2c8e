"""Random draws: commit–reveal, immutability, publication, files that re-run to the same result."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from inspection_builders import all_scores, plan_with_target, world

from dudao.cli import main
from dudao.core.officialdoc import document_text
from dudao.engine import draw as engine
from dudao.inspection import draws, services, visits
from dudao.inspection.errors import ServiceError
from dudao.inspection.models import DrawIsImmutable, InspectionPlan, RandomDraw
from dudao.orgs.models import Institution

pytestmark = pytest.mark.django_db


def more_schools(cast: Cast, n: int = 4) -> None:
    for k in range(n):
        Institution.objects.create(
            code=f"21510001{k:02d}",
            name=f"青川第{k + 2}小学",
            school_type="小学",
            ownership="公办",
            county=cast.county,
            township=cast.township if k % 2 else None,
        )


def prepared(cast: Cast, count: int = 3, per_school: int = 2, **kw: object) -> RandomDraw:
    request = draws.DrawRequest(title="2026年秋季", count=count, per_school=per_school, **kw)  # type: ignore[arg-type]
    return draws.draw_prepare(cast.supervisor, cast.county, request)


def test_preparing_commits_a_seed_whose_digest_alone_is_shown(cast: Cast) -> None:
    w = world(cast)
    more_schools(cast)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "配偶在该校")
    made = prepared(cast)
    assert len(made.seed) == 32 and made.seed_digest == engine.seed_digest(made.seed)
    assert {s["code"] for s in made.schools} >= {cast.school_a.code, cast.school_b.code}
    assert cast.school_c.code not in {s["code"] for s in made.schools}
    assert [i["code"] for i in made.inspectors] == ["DX001", "DX002", "DX003", "DX004"]
    assert made.inspectors[1]["institution_code"] == cast.school_a.code
    assert made.conflicts == [["DX003", cast.school_b.code, "配偶在该校"]]
    page = client_for(cast.supervisor).get(reverse("inspection:draw", args=[made.pk]))
    text = page.content.decode()
    assert made.seed_digest in text and made.seed not in text and "开始抽签" in text


def test_a_township_filter_limits_the_candidate_schools(cast: Cast) -> None:
    world(cast)
    more_schools(cast)
    made = prepared(cast, count=1, township=cast.township)
    towns = Institution.objects.filter(township=cast.township).values_list("code", flat=True)
    assert {s["code"] for s in made.schools} == set(towns)


def test_a_draw_that_cannot_succeed_is_refused_when_prepared(cast: Cast) -> None:
    world(cast)
    with pytest.raises(ServiceError, match="超过了候选学校数"):
        prepared(cast, count=9)
    with pytest.raises(ServiceError, match="可派督学不足"):
        prepared(cast, count=1, per_school=4)
    assert not RandomDraw.objects.exists()


def test_only_the_office_prepares_and_draws(cast: Cast) -> None:
    world(cast)
    with pytest.raises(PermissionDenied):
        draws.draw_prepare(cast.leader, cast.county, draws.DrawRequest("x", 1, 1))
    made = prepared(cast, count=1, per_school=1)
    with pytest.raises(PermissionDenied):
        draws.draw_run(cast.inspector, made)


def test_drawing_reveals_the_seed_stores_the_result_and_then_nothing_changes(cast: Cast) -> None:
    world(cast)
    more_schools(cast)
    # Every school is drawn, so 李督学 (of school A) sits out his own school.
    made = draws.draw_run(cast.supervisor, prepared(cast, count=6))
    expected = engine.draw(
        made.seed,
        [engine.SchoolCandidate(s["code"], s["name"]) for s in made.schools],
        [engine.InspectorCandidate(**i) for i in made.inspectors],
        6,
        2,
        [(c[0], c[1]) for c in made.conflicts],
    )
    assert made.result == engine.result_to_dict(expected)
    excluded = [(e["inspector_code"], e["school_code"]) for e in made.result["excluded"]]  # type: ignore[index]
    assert ("DX002", cast.school_a.code) in excluded
    assert made.drawn_by == cast.supervisor and made.drawn_at is not None
    with pytest.raises(ServiceError, match="已经完成"):
        draws.draw_run(cast.supervisor, made)
    made.title = "改名"
    with pytest.raises(DrawIsImmutable):
        made.save()
    with pytest.raises(DrawIsImmutable):
        made.delete()
    page = client_for(cast.supervisor).get(reverse("inspection:draw", args=[made.pk]))
    assert made.seed in page.content.decode()
    for e in made.result["excluded"]:  # type: ignore[index]
        assert (
            f"{e['inspector_code']} 回避 {e['school_code']}：{e['reason']}" in page.content.decode()
        )


def test_the_published_csv_files_rerun_to_the_stored_result(cast: Cast) -> None:
    w = world(cast)
    more_schools(cast, 6)
    services.conflict_add(cast.supervisor, w.zhou, cast.school_b, "配偶在该校")
    made = draws.draw_run(cast.supervisor, prepared(cast, count=4, per_school=2))
    draws.draw_publish(cast.supervisor, made)
    client = client_for(cast.clerk_a)  # a school of the county downloads them
    files = {
        name: client.get(reverse("inspection:draw_file", args=[made.pk, name])).content
        for name in ("schools", "inspectors", "conflicts")
    }
    result = engine.draw(
        made.seed,
        engine.parse_schools_csv(files["schools"]),
        engine.parse_inspectors_csv(files["inspectors"]),
        made.count,
        made.per_school,
        engine.parse_conflicts_csv(files["conflicts"]),
    )
    assert engine.result_to_dict(result) == made.result
    assert files["schools"].startswith("\ufeff学校代码".encode())


def test_the_cli_reads_the_published_files(cast: Cast, tmp_path: object, capsys: object) -> None:
    world(cast)
    more_schools(cast)
    made = draws.draw_run(cast.supervisor, prepared(cast))
    folder = Path(str(tmp_path))
    for name, text in draws.draw_files(made).items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    args = ["draw", "--seed", made.seed, "--schools", str(folder / "schools.csv")]
    args += ["--inspectors", str(folder / "inspectors.csv"), "--count", "3", "--per-school", "2"]
    args += ["--conflicts", str(folder / "conflicts.csv"), "--format", "json"]
    if main(args) != 0:
        pytest.skip("`dudao draw` is not available in this checkout")
    printed = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert printed == made.result


def test_last_times_inspectors_are_excluded_when_asked(cast: Cast) -> None:
    w = world(cast)
    _, target = plan_with_target(cast, w, inspectors=[w.sun])
    data = visits.VisitData(visited_on=date(2026, 10, 9), choices=all_scores(), inspectors=[w.sun])
    visits.visit_record(cast.inspector, target, data)
    made = prepared(cast, count=1, per_school=1, exclude_last=True)
    assert ["DX001", cast.school_a.code, draws.LAST_TIME] in made.conflicts
    plain = prepared(cast, count=1, per_school=1)
    assert plain.conflicts == []


def test_every_draw_is_visible_to_the_countys_schools_and_inspectors_from_preparation_on(
    cast: Cast,
) -> None:
    world(cast)
    made = prepared(cast, count=1, per_school=1)
    url = reverse("inspection:draw", args=[made.pk])
    for who in ("clerk_a", "inspector", "leader"):
        page = client_for(getattr(cast, who)).get(url)
        assert page.status_code == 200, who
        assert made.seed_digest in page.content.decode() and made.seed not in page.content.decode()
    home = client_for(cast.clerk_b).get(reverse("inspection:home")).content.decode()
    assert url in home  # listed, not only reachable
    for who in ("clerk_c", "other_inspector", "other_supervisor"):
        assert client_for(getattr(cast, who)).get(url).status_code == 404, who
    made = draws.draw_run(cast.supervisor, made)  # drawn, not published: the result is visible
    page = client_for(cast.clerk_a).get(url).content.decode()
    assert made.seed in page and made.result["picks"][0]["school"]["name"] in page  # type: ignore[index]
    draws.draw_publish(cast.supervisor, made)
    assert client_for(cast.clerk_a).get(url).status_code == 200
    assert client_for(cast.clerk_c).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/?next=")
    with pytest.raises(ServiceError, match="已经公示"):
        draws.draw_publish(cast.supervisor, made)


def test_a_draw_cannot_be_published_before_it_is_made(cast: Cast) -> None:
    world(cast)
    with pytest.raises(ServiceError, match="尚未抽签"):
        draws.draw_publish(cast.supervisor, prepared(cast, count=1, per_school=1))


def test_the_notice_docx_lists_seed_and_result(cast: Cast) -> None:
    world(cast)
    made = draws.draw_run(cast.supervisor, prepared(cast, count=2, per_school=1))
    draws.draw_publish(cast.supervisor, made)
    response = client_for(cast.clerk_b).get(reverse("inspection:draw_docx", args=[made.pk]))
    text = document_text(response.content)
    assert "关于2026年秋季双随机抽查结果的公示" in text
    assert made.seed in text and made.seed_digest in text
    first = made.result["picks"][0]  # type: ignore[index]
    assert first["school"]["name"] in text


def test_a_plan_is_made_from_the_draw_with_its_targets(cast: Cast) -> None:
    w = world(cast)
    more_schools(cast)
    made = draws.draw_run(cast.supervisor, prepared(cast))
    draws.draw_publish(cast.supervisor, made)
    client = client_for(cast.supervisor)
    response = client.post(
        reverse("inspection:plan_from_draw", args=[made.pk]),
        {"scheduled": "2026-12-03", "checklist": w.checklist.pk},
    )
    plan = InspectionPlan.objects.get(draw=made)
    assert response.status_code == 302 and response["Location"].endswith(f"/plan/{plan.pk}/")
    drawn = [
        (p["school"]["code"], {i["code"] for i in p["inspectors"]}) for p in made.result["picks"]
    ]  # type: ignore[index]
    got = {
        (t.institution.code, frozenset(i.code for i in t.inspectors.all()))
        for t in plan.targets.all()
    }
    assert got == {(code, frozenset(inspectors)) for code, inspectors in drawn}
    assert all(t.scheduled == date(2026, 12, 3) for t in plan.targets.all())
    with pytest.raises(ServiceError, match="已生成"):
        draws.plan_from_draw(cast.supervisor, made)


def test_the_prepare_form_makes_a_draw_and_the_run_button_draws(cast: Cast) -> None:
    world(cast)
    client = client_for(cast.supervisor)
    url = reverse("inspection:draw_prepare", args=[cast.county.pk])
    assert client_for(cast.leader).get(url).status_code == 403
    assert client_for(cast.other_supervisor).get(url).status_code == 404
    response = client.post(
        url, {"title": "冬季", "count": "1", "per_school": "1", "school_type": ""}
    )
    made = RandomDraw.objects.get()
    assert response["Location"].endswith(f"/draw/{made.pk}/")
    assert (
        client_for(cast.leader).post(reverse("inspection:draw_run", args=[made.pk])).status_code
        == 403
    )
    client.post(reverse("inspection:draw_run", args=[made.pk]))
    client.post(reverse("inspection:draw_publish", args=[made.pk]))
    made = RandomDraw.objects.get()
    assert made.is_drawn and hasattr(made, "publication")
