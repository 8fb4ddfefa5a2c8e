"""The demo follow-up seed: a notice number and one or two actions, weights left at defaults."""

from __future__ import annotations

from datetime import date

from conftest import Cast
from test_workplan_followup_data import YEAR, add_light, add_round, follow_up

from dudao.core.management.demo_orgs import DEPARTMENTS
from dudao.core.management.demo_workplan import seed_workplan
from dudao.core.management.demo_workplan_followup import seed_workplan_followup
from dudao.orgs.models import Department
from dudao.workplan.choices import LightChoice
from dudao.workplan.models import AccountabilityAction, Round, WorkPlan


def test_the_seed_criticises_the_red_task_and_talks_as_the_ladder_suggests(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), closed=True, opened_on=date(YEAR, 3, 1))
    add_light(round2, data.task2, LightChoice.RED, "自报滞后")
    summary = seed_workplan_followup(
        data.plan, {"demo_supervisor": cast.supervisor}, date(YEAR, 5, 10)
    )
    assert summary == (
        "已设置第2次调度通报文号 示教督〔2026〕2号，记录问责措施 2 条（通报批评、约谈），"
        "考核分值为默认值"
    )
    actions = {a.kind: a for a in AccountabilityAction.objects.all()}
    assert set(actions) == {"criticism", "talk"}
    assert actions["criticism"].department == cast.other_department
    assert list(actions["talk"].tasks.all()) == [data.task2]
    assert Round.objects.get(pk=round2.pk).notice_number == "示教督〔2026〕2号"
    assert WorkPlan.objects.get(pk=data.plan.pk).weights == {}


def test_the_seed_follows_the_demo_plan(cast: Cast) -> None:
    departments = {
        name: Department.objects.get_or_create(name=name, county=cast.county)[0]
        for name in DEPARTMENTS
    }
    users = {"demo_supervisor": cast.supervisor, "demo_department": cast.department_head}
    seed_workplan(cast.county, departments, users, date(YEAR, 6, 15))
    plan = WorkPlan.objects.get(county=cast.county)
    summary = seed_workplan_followup(plan, users, date(YEAR, 6, 15))
    assert summary.startswith("已设置第1次调度通报文号 示教督〔2026〕1号，记录问责措施 ")
    assert 1 <= AccountabilityAction.objects.filter(plan=plan).count() <= 2


def test_without_the_office_account_nothing_is_recorded(cast: Cast) -> None:
    data = follow_up(cast)
    assert "未生成问责示例" in seed_workplan_followup(data.plan, {}, date(YEAR, 5, 10))
    assert not AccountabilityAction.objects.exists()
