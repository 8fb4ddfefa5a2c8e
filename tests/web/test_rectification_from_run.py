"""Rectification items from an evaluation run: one per finding, never twice for one period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from conftest import Cast
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from test_evaluation_data import GOOD_JUNIOR, POOR_PRIMARY, submit

from dudao.engine.rectify import Finding, findings_from_result
from dudao.evaluation.models import Run
from dudao.evaluation.services import run_evaluation
from dudao.rectification import from_run
from dudao.rectification.from_run import rectifications_from_run
from dudao.rectification.models import Rectification


@pytest.fixture
def run(cast: Cast) -> Run:
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    return run_evaluation(cast.supervisor, cast.period)


def test_every_finding_becomes_one_item(cast: Cast, run: Run) -> None:
    findings = findings_from_result(run.result, county=cast.county.name)
    assert findings  # school A's sports area is below the standard
    result = rectifications_from_run(cast.supervisor, run, deadline=date(2027, 3, 1))
    assert (result.created, result.existing) == (len(findings), 0)
    items = Rectification.objects.filter(county=cast.county, source="evaluation")
    assert items.count() == len(findings)
    keys = {i.source_key for i in items}
    assert keys == {f"run:{cast.period.pk}:{f.key}" for f in findings}
    sports = [i for i in items if "sports_area" in i.source_key]
    assert sports and sports[0].institution == cast.school_a
    assert all(i.deadline == date(2027, 3, 1) and i.status == "open" for i in items)


def test_repeating_the_action_or_a_new_run_of_the_period_adds_nothing(cast: Cast, run: Run) -> None:
    first = rectifications_from_run(cast.supervisor, run)
    again = rectifications_from_run(cast.supervisor, run)
    rerun = rectifications_from_run(cast.supervisor, run_evaluation(cast.supervisor, cast.period))
    assert again.created == 0 and again.existing == first.created
    assert rerun.created == 0
    assert Rectification.objects.count() == first.created


@pytest.mark.parametrize("who", ["leader", "inspector", "city_reviewer"])
def test_only_the_county_office_generates_items(cast: Cast, run: Run, who: str) -> None:
    with pytest.raises(PermissionDenied):
        rectifications_from_run(getattr(cast, who), run)
    assert not Rectification.objects.exists()


def test_the_run_page_offers_the_action_to_the_office_only(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    action = reverse("rectification:from_run", args=[run.pk])
    url = reverse("evaluation:run", args=[run.pk])
    assert action in as_user(cast.supervisor).get(url).content.decode()
    assert action not in as_user(cast.leader).get(url).content.decode()


def test_the_office_posts_the_action_and_sees_the_lists(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    url = reverse("rectification:from_run", args=[run.pk])
    response = client.post(url, {"deadline": "2027-03-01", "responsible": "各校校长"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('rectification:lists')}?county={cast.county.pk}"
    count = Rectification.objects.count()
    assert count > 0
    text = client.get(response["Location"]).content.decode()
    assert f"已从评估结果生成 {count} 项整改事项" in text
    client.post(url)
    assert Rectification.objects.count() == count


@pytest.mark.parametrize("who", ["leader", "city_reviewer"])
def test_county_readers_are_refused_the_action(
    cast: Cast, run: Run, as_user: Callable[[User], Client], who: str
) -> None:
    url = reverse("rectification:from_run", args=[run.pk])
    assert as_user(getattr(cast, who)).post(url).status_code == 403


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_a", "inspector"])
def test_the_action_on_a_run_out_of_scope_is_not_found(
    cast: Cast, run: Run, as_user: Callable[[User], Client], who: str
) -> None:
    url = reverse("rectification:from_run", args=[run.pk])
    assert as_user(getattr(cast, who)).post(url).status_code == 404


def test_the_action_needs_a_log_in(cast: Cast, run: Run, client: Client) -> None:
    url = reverse("rectification:from_run", args=[run.pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_the_action_needs_a_responsible_person(
    cast: Cast, run: Run, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    url = reverse("rectification:from_run", args=[run.pk])
    response = client.post(url, {"deadline": "2027-03-01", "responsible": " "}, follow=True)
    assert "未生成整改事项：请填写责任人" in response.content.decode()
    assert not Rectification.objects.exists()
    page = client.get(reverse("evaluation:run", args=[run.pk])).content.decode()
    assert 'name="responsible"' in page and "对照指标要求制定整改方案" in page


def test_generated_items_carry_the_responsible_person_and_measures(
    cast: Cast, run: Run, as_user: Callable[[User], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = [
        Finding(
            "cv:primary:composite", None, "primary", "小学综合差异系数 0.700 超过标准 0.50", ""
        ),
        Finding("indicator:x:primary:a", cast.school_a.code, "primary", "场地不足", "增加场地"),
    ]
    monkeypatch.setattr(from_run, "findings_from_result", lambda *a, **k: findings)
    url = reverse("rectification:from_run", args=[run.pk])
    data = {"deadline": "2027-03-01", "responsible": "分管副局长", "measures": "制定均衡发展方案"}
    as_user(cast.supervisor).post(url, data)
    items = {i.source_key.split(":", 2)[2]: i for i in Rectification.objects.all()}
    county_level, school = items["cv:primary:composite"], items["indicator:x:primary:a"]
    assert county_level.institution is None and county_level.measures == "制定均衡发展方案"
    assert school.measures == "增加场地"  # its own measures are kept
    assert county_level.responsible == school.responsible == "分管副局长"


def test_county_level_items_get_the_default_measures(
    cast: Cast, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    findings = [Finding("cv:primary:composite", None, "primary", "综合差异系数超标", "")]
    monkeypatch.setattr(from_run, "findings_from_result", lambda *a, **k: findings)
    rectifications_from_run(cast.supervisor, run, responsible="督导室主任", measures=" ")
    item = Rectification.objects.get()
    assert (item.measures, item.responsible) == ("对照指标要求制定整改方案", "督导室主任")
