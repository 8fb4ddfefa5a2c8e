"""The plan's settings and its responsible leaders: the county office only."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from test_workplan_import import client_for
from test_workplan_models import PlanData, make_plan

from dudao.workplan import services
from dudao.workplan.errors import ServiceError, StaleEdit
from dudao.workplan.models import Leader

SETTINGS = {
    "version": "1",
    "title": "2026年重点工作",
    "number": "青教发〔2026〕3号",
    "issued_on": "2026-02-01",
    "round_months": "1",
    "warning_days": "10",
    "behind_margin": "25",
}


@pytest.fixture
def data(cast: Cast) -> PlanData:
    return make_plan(cast)


def test_the_office_changes_the_cycle_and_the_light_rules(cast: Cast, data: PlanData) -> None:
    url = reverse("workplan:plan_settings", args=[data.plan.pk])
    client = client_for(cast.supervisor)
    assert client.get(url).status_code == 200
    assert client.post(url, SETTINGS).status_code == 302
    data.plan.refresh_from_db()
    assert (data.plan.round_months, data.plan.warning_days, data.plan.behind_margin) == (1, 10, 25)
    assert data.plan.number == "青教发〔2026〕3号" and data.plan.version == 2


def test_a_stale_settings_form_is_refused(cast: Cast, data: PlanData) -> None:
    client = client_for(cast.supervisor)
    url = reverse("workplan:plan_settings", args=[data.plan.pk])
    client.post(url, SETTINGS)
    response = client.post(url, SETTINGS | {"round_months": "3"})
    assert "该记录已被他人修改" in response.content.decode()
    data.plan.refresh_from_db()
    assert data.plan.round_months == 1


def test_settings_out_of_range_are_refused(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError) as refused:
        services.plan_update(
            cast.supervisor,
            data.plan,
            version=1,
            title="x",
            number="",
            issued_on=None,
            round_months=13,
            warning_days=5,
            behind_margin=20,
        )
    assert "round_months" in refused.value.errors
    with pytest.raises(StaleEdit):
        services.plan_update(
            cast.supervisor,
            data.plan,
            version=7,
            title="x",
            number="",
            issued_on=None,
            round_months=2,
            warning_days=5,
            behind_margin=20,
        )


def test_settings_are_refused_to_others(cast: Cast, data: PlanData) -> None:
    url = reverse("workplan:plan_settings", args=[data.plan.pk])
    assert client_for(cast.leader).get(url).status_code == 403
    assert client_for(cast.department_head).post(url, SETTINGS).status_code == 403
    assert client_for(cast.other_supervisor).get(url).status_code == 404
    assert client_for(cast.clerk_a).get(url).status_code == 404


def test_the_office_links_a_leader_to_a_leader_account(cast: Cast, data: PlanData) -> None:
    leader = Leader.objects.create(county=cast.county, name="钱副局长")
    url = reverse("workplan:leader_update", args=[data.plan.pk, leader.pk])
    client_for(cast.supervisor).post(url, {"account": str(cast.leader.pk)})
    leader.refresh_from_db()
    assert leader.user == cast.leader


def test_only_leader_accounts_of_the_county_can_be_linked(cast: Cast, data: PlanData) -> None:
    with pytest.raises(ServiceError):
        services.leader_update(
            cast.supervisor, data.leader, account=cast.department_head, is_body=False
        )
    with pytest.raises(ServiceError):
        services.leader_update(cast.supervisor, data.leader, account=cast.leader, is_body=True)
    with pytest.raises(PermissionDenied):
        services.leader_update(cast.leader, data.leader, account=None, is_body=True)


def test_a_leader_of_another_county_is_404(cast: Cast, data: PlanData) -> None:
    other = Leader.objects.create(county=cast.other_county, name="河西局长")
    url = reverse("workplan:leader_update", args=[data.plan.pk, other.pk])
    assert client_for(cast.supervisor).post(url, {"is_body": "on"}).status_code == 404
    other.refresh_from_db()
    assert not other.is_body
