"""The scheduling notice (调度通报) of a round: its facts, the DOCX, the page and its number."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import Cast, client_for
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import (
    YEAR,
    add_light,
    add_report,
    add_round,
    add_task,
    aware,
    follow_up,
)

from dudao.core.officialdoc import document_text
from dudao.workplan.choices import ReportStatus
from dudao.workplan.followup_services import StaleEdit, notice_number_set
from dudao.workplan.models import Category, Round
from dudao.workplan.notices import notice_docx, notice_facts

TODAY = date(YEAR, 3, 10)


# ---------------------------------------------------------------- facts


def test_the_notice_counts_statuses_lights_and_the_on_time_rate(cast: Cast) -> None:
    data = follow_up(cast)
    facts = notice_facts(data.round1, today=TODAY)
    assert facts.tasks_total == 3
    assert dict(facts.status_counts) == {
        "未启动": 0,
        "推进中": 2,
        "已完成": 0,
        "滞后": 1,
        "受阻": 0,
        "未报送": 0,
    }
    assert [(light, n) for light, _, n in facts.light_counts] == [
        ("green", 1),
        ("yellow", 1),
        ("red", 1),
    ]
    assert (facts.reports_due, facts.reports_on_time, facts.reports_late) == (3, 2, 1)
    assert facts.on_time_rate == 66.7
    assert "按时报送率66.7%" in facts.summary[2]


def test_lagging_tasks_are_grouped_by_lead_department(cast: Cast) -> None:
    data = follow_up(cast)
    facts = notice_facts(data.round1, today=TODAY)
    groups = {
        name: [(t.number, t.light, t.progress, t.status) for t in tasks]
        for name, tasks in facts.lagging
    }
    assert groups == {
        "人事股": [("2", "red", "10%", "滞后")],
        "计划财务股": [("3", "yellow", "20%", "推进中")],
    }


def test_a_closed_rounds_lights_come_from_its_snapshot_not_from_today(cast: Cast) -> None:
    data = follow_up(cast)
    # Long after every deadline today's lights would all be red; the snapshot still says green.
    facts = notice_facts(data.round1, today=date(YEAR + 1, 3, 1))
    assert [(light, n) for light, _, n in facts.light_counts] == [
        ("green", 1),
        ("yellow", 1),
        ("red", 1),
    ]


def test_praised_are_on_time_without_red_and_criticised_are_late_or_red(cast: Cast) -> None:
    data = follow_up(cast)
    facts = notice_facts(data.round1, today=TODAY)
    assert [v.department for v in facts.praised] == ["教育股", "计划财务股"]
    assert [(v.department, v.reasons) for v in facts.criticised] == [
        (
            "人事股",
            ("抓常规第2项“教师交流轮岗”（逾期报送；红灯：自报滞后）",),
        )
    ]


def test_a_missing_report_is_criticised_once_the_round_is_closed(cast: Cast) -> None:
    data = follow_up(cast)
    add_task(data.plan, data.category, "4", "课后服务", cast.department)
    facts = notice_facts(data.round1, today=TODAY)
    assert facts.reports_missing == 1
    assert ("教育股", ("抓常规第4项“课后服务”（未报送）",)) in [
        (v.department, v.reasons) for v in facts.criticised
    ]
    assert "教育股" not in [v.department for v in facts.praised]


def test_an_open_round_uses_todays_lights_and_does_not_blame_before_the_due_date(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(
        round2, data.task1, cast.department, cast, status=ReportStatus.BLOCKED, at=aware(YEAR, 4, 1)
    )
    facts = notice_facts(round2, today=date(YEAR, 4, 10))
    assert not facts.closed
    groups = {name: [(t.number, t.reason) for t in tasks] for name, tasks in facts.lagging}
    assert groups["教育股"] == [("1", "自报受阻")]
    assert facts.reports_missing == 2
    # Red tasks count at once; a report not yet in counts only after the due date.
    # 人事股 reported 滞后 in round 1 only: the light is the plan page's (red, 自报滞后), the
    # status says 本次未报送.
    assert {v.department: v.reasons for v in facts.criticised} == {
        "教育股": ("抓常规第1项“规范办学行为”（红灯：自报受阻）",),
        "人事股": ("抓常规第2项“教师交流轮岗”（红灯：自报滞后）",),
    }
    assert groups["人事股"] == [("2", "自报滞后")]
    assert [t.status for _, tasks in facts.lagging for t in tasks if t.number == "2"] == [
        "本次未报送"
    ]
    assert facts.praised == ()
    after_due = notice_facts(round2, today=date(YEAR, 5, 2))
    finance = {v.department: v.reasons for v in after_due.criticised}["计划财务股"]
    assert finance == ("抓常规第3项“校舍维修改造”（未报送）",)


def test_tasks_with_the_same_number_in_two_categories_are_named_apart(cast: Cast) -> None:
    data = follow_up(cast)
    other = Category.objects.create(plan=data.plan, name="强队伍", order=2)
    task = add_task(
        data.plan, other, "2", "加强师德师风建设，开展师德专题教育活动", cast.other_department
    )
    add_light(data.round1, task, "yellow", "临近时限")
    facts = notice_facts(data.round1, today=TODAY)
    reasons = {v.department: v.reasons for v in facts.criticised}["人事股"]
    assert "抓常规第2项“教师交流轮岗”（逾期报送；红灯：自报滞后）" in reasons
    assert "强队伍第2项“加强师德师风建设，开展师德专题教育活动”（未报送）" in reasons
    text = document_text(notice_docx(data.round1, today=TODAY))
    assert "强队伍第2项“加强师德师风建设，开展师德专题教育活动”（未报送）" in text
    assert "…" not in text
    assert "强队伍第2项：加强师德师风建设，开展师德专题教育活动" in text
    page = client_for(cast.supervisor).get(reverse("workplan:notice", args=[data.round1.pk]))
    assert "强队伍第2项“加强师德师风建设，开展师德专题教育活动”（未报送）" in page.content.decode()


# ---------------------------------------------------------------- the DOCX


def test_the_docx_holds_the_statistics_the_lagging_tables_and_the_verdicts(cast: Cast) -> None:
    data = follow_up(cast)
    data.round1.notice_number = "青教督〔2026〕3号"
    data.round1.save()
    text = document_text(notice_docx(data.round1, today=TODAY))
    assert "关于2026年重点工作第1次调度情况的通报" in text
    assert "青川县教育局文件" in text
    assert "青教督〔2026〕3号" in text
    assert "局机关各股室、局属各单位：" in text
    for heading in ("一、总体情况", "二、滞后任务", "三、表扬与批评", "四、下一步要求"):
        assert heading in text
    assert "第1次调度（报送截止2026年2月28日）" in text
    assert (
        "牵头股室应报送进展3份（每项任务每个牵头股室一份，协办股室报送不计入），"
        "按时报送2份，逾期报送1份，未报送0份，按时报送率66.7%" in text
    )
    assert "绿灯1项、黄灯1项、红灯1项" in text
    assert "序号 | 任务 | 责任股室 | 进度 | 状态 | 信号灯原因" in text
    assert "1 | 抓常规第2项：教师交流轮岗 | 人事股 | 10% | 滞后 | 红灯：自报滞后" in text
    assert (
        "1 | 抓常规第3项：校舍维修改造 | 计划财务股 | 20% | 推进中 | 黄灯：进度 20%，按计划应达 45%"
        in text
    )
    assert "予以表扬：教育股（按时报送全部任务进展，无红灯任务）；计划财务股" in text
    assert "予以批评：人事股（抓常规第2项“教师交流轮岗”（逾期报送；红灯：自报滞后））" in text
    assert "2026年3月10日" in text


# ---------------------------------------------------------------- the notice number


def test_the_office_sets_the_notice_number(cast: Cast) -> None:
    data = follow_up(cast)
    notice_number_set(cast.supervisor, data.round1, number=" 青教督〔2026〕3号 ", version=1)
    data.round1.refresh_from_db()
    assert (data.round1.notice_number, data.round1.version) == ("青教督〔2026〕3号", 2)


def test_a_stale_notice_number_is_refused_and_nothing_saved(cast: Cast) -> None:
    data = follow_up(cast)
    notice_number_set(cast.supervisor, data.round1, number="A", version=1)
    with pytest.raises(StaleEdit, match="该记录已被他人修改"):
        notice_number_set(cast.supervisor, data.round1, number="B", version=1)
    assert Round.objects.get(pk=data.round1.pk).notice_number == "A"


@pytest.mark.parametrize("who", ["leader", "department_head"])
def test_only_the_office_sets_the_notice_number(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    with pytest.raises(PermissionDenied):
        notice_number_set(getattr(cast, who), data.round1, number="X", version=1)


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize("who", ["supervisor", "leader", "department_head", "admin"])
def test_the_office_leaders_and_departments_read_the_notice(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    response = client_for(getattr(cast, who)).get(reverse("workplan:notice", args=[data.round1.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "关于2026年重点工作第1次调度情况的通报" in body
    assert "按时报送率66.7%" in body
    assert "教师交流轮岗" in body
    assert ("保存文号" in body) == (who in ("supervisor", "admin"))


@pytest.mark.parametrize("who", ["other_supervisor", "clerk_a", "inspector", "nobody"])
def test_the_notice_is_missing_for_other_counties_and_schools(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    client = client_for(getattr(cast, who))
    assert client.get(reverse("workplan:notice", args=[data.round1.pk])).status_code == 404
    assert client.get(reverse("workplan:notice_docx", args=[data.round1.pk])).status_code == 404


@pytest.mark.parametrize("name", ["workplan:notice", "workplan:notice_docx"])
def test_anonymous_users_are_sent_to_log_in_for_the_notice(cast: Cast, name: str) -> None:
    data = follow_up(cast)
    url = reverse(name, args=[data.round1.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_the_notice_page_reads_a_bounded_number_of_queries(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    data = follow_up(cast)
    for n in range(4, 24):
        add_task(data.plan, data.category, str(n), f"任务{n}", cast.department)
    client = client_for(cast.supervisor)
    # +1: the tasks completed in an earlier round (one query per round)
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        assert client.get(reverse("workplan:notice", args=[data.round1.pk])).status_code == 200


def test_the_docx_download_is_the_notice(cast: Cast) -> None:
    data = follow_up(cast)
    response = client_for(cast.leader).get(reverse("workplan:notice_docx", args=[data.round1.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = document_text(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert "关于2026年重点工作第1次调度情况的通报" in text


def test_the_office_sets_the_number_on_the_page_and_a_stale_form_changes_nothing(
    cast: Cast,
) -> None:
    data = follow_up(cast)
    client = client_for(cast.supervisor)
    url = reverse("workplan:notice_number", args=[data.round1.pk])
    response = client.post(url, {"notice_number": "青教督〔2026〕3号", "version": "1"})
    assert response.status_code == 302
    response = client.post(url, {"notice_number": "旧表单", "version": "1"}, follow=True)
    assert "该记录已被他人修改，请刷新后再改" in response.content.decode()
    assert Round.objects.get(pk=data.round1.pk).notice_number == "青教督〔2026〕3号"


@pytest.mark.parametrize("who", ["leader", "department_head"])
def test_readers_may_not_set_the_notice_number(cast: Cast, who: str) -> None:
    data = follow_up(cast)
    url = reverse("workplan:notice_number", args=[data.round1.pk])
    response = client_for(getattr(cast, who)).post(url, {"notice_number": "X", "version": "1"})
    assert response.status_code == 403
    assert Round.objects.get(pk=data.round1.pk).notice_number == ""


def test_another_countys_office_cannot_set_the_notice_number(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:notice_number", args=[data.round1.pk])
    response = client_for(cast.other_supervisor).post(url, {"notice_number": "X", "version": "1"})
    assert response.status_code == 404


def test_the_notice_is_issued_in_the_bureaus_stored_name(cast: Cast) -> None:
    data = follow_up(cast)
    cast.county.bureau_name = "青川县教育体育局"
    cast.county.save()
    data.round1.refresh_from_db()
    text = document_text(notice_docx(data.round1, today=TODAY))
    assert "青川县教育体育局文件" in text
    assert "青川县教育局" not in text
