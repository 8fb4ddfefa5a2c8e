"""Audit 2 of key tasks: lists name tasks with their category, lists export to Excel, the
notice quotes whole task names."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from conftest import Cast, client_for
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_workplan_followup_data import (
    YEAR,
    add_light,
    add_report,
    add_round,
    aware,
    follow_up,
)

from dudao.core.management.demo_workplan_followup import seed_workplan_followup
from dudao.core.officialdoc import document_text
from dudao.workplan.choices import LightChoice, ReportStatus
from dudao.workplan.errors import ServiceError
from dudao.workplan.exports import XLSX
from dudao.workplan.followup_services import action_record, suggestions_for
from dudao.workplan.models import AccountabilityAction, SupervisionNote
from dudao.workplan.notices import notice_docx, notice_facts
from dudao.workplan.services import report_save

TODAY = date(YEAR, 5, 10)
LONG = "推进县管校聘改革，乡镇学校内部每年按比例开展教师竞聘上岗"


# ---------------------------------------------------------------- 4. tasks named with category


def test_my_department_tasks_name_the_category_with_the_number(cast: Cast) -> None:
    follow_up(cast)
    body = client_for(cast.department_head).get(reverse("workplan:mine")).content.decode()
    assert "<td>抓常规第1项</td>" in body
    assert "<td>1</td>" not in body


def test_the_plan_grouped_by_department_names_the_category_with_the_number(cast: Cast) -> None:
    data = follow_up(cast)
    url = reverse("workplan:plan", args=[data.plan.pk])
    body = client_for(cast.supervisor).get(url, {"group": "department"}).content.decode()
    assert "<td>抓常规第2项</td>" in body
    assert "<td>2</td>" not in body


def test_the_actions_form_and_list_name_tasks_with_their_category(cast: Cast) -> None:
    data = follow_up(cast)
    action_record(
        cast.supervisor,
        data.plan,
        kind="talk",
        department=cast.other_department,
        person="",
        on=TODAY,
        reason="逾期报送",
        tasks=[data.task2],
    )
    url = reverse("workplan:actions", args=[data.plan.pk])
    body = client_for(cast.supervisor).get(url).content.decode()
    assert f'<option value="{data.task2.pk}">抓常规第2项“教师交流轮岗”</option>' in body
    assert ">抓常规第2项“教师交流轮岗”</a></td>" in body


def test_suggested_reasons_quote_the_whole_task_text(cast: Cast) -> None:
    data = follow_up(cast)
    data.task2.text = LONG
    data.task2.save()
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), closed=True, opened_on=date(YEAR, 3, 1))
    add_light(round2, data.task2, LightChoice.RED, "自报滞后")
    reasons = [s.reason for _, s in suggestions_for(data.plan, today=TODAY)]
    assert reasons and all(f"抓常规第2项“{LONG}”" in r for r in reasons)
    assert not any("…" in r for r in reasons)


def test_the_demo_criticism_names_the_task_with_its_category_and_whole_text(cast: Cast) -> None:
    data = follow_up(cast)
    data.task2.text = LONG
    data.task2.save()
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), closed=True, opened_on=date(YEAR, 3, 1))
    add_light(round2, data.task2, LightChoice.RED, "自报滞后")
    seed_workplan_followup(data.plan, {"demo_supervisor": cast.supervisor}, TODAY)
    reason = AccountabilityAction.objects.get(kind="criticism").reason
    assert f"第2次调度中抓常规第2项“{LONG}”亮红灯" in reason
    assert "任务2" not in reason


# ---------------------------------------------------------------- 11. the notice


def test_an_open_round_shows_the_plan_page_light_and_says_a_task_is_not_reported_this_time(
    cast: Cast,
) -> None:
    data = follow_up(cast)  # round 1: 人事股 reported task 2 滞后 (red)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    facts = notice_facts(round2, today=date(YEAR, 4, 10))
    rows = {t.number: t for _, tasks in facts.lagging for t in tasks}
    assert rows["2"].status == "本次未报送"
    assert (rows["2"].light, rows["2"].reason) == ("red", "自报滞后")


def test_an_unreported_task_past_its_deadline_has_the_plan_page_overdue_light(cast: Cast) -> None:
    data = follow_up(cast)
    data.task2.deadline = date(YEAR, 4, 1)
    data.task2.save()
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    facts = notice_facts(round2, today=date(YEAR, 4, 10))
    rows = {t.number: t for _, tasks in facts.lagging for t in tasks}
    assert (rows["2"].light, rows["2"].reason, rows["2"].status) == (
        "red",
        "已逾期 9 天",
        "本次未报送",
    )


def test_a_task_reported_done_earlier_stays_green_in_an_open_round(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    add_report(round2, data.task3, data.finance, cast, status=ReportStatus.DONE, percent=100)
    round3 = add_round(data.plan, 3, date(YEAR, 6, 30), opened_on=date(YEAR, 5, 1))
    round2.status = "closed"
    round2.save()
    facts = notice_facts(round3, today=date(YEAR, 5, 10))
    assert "3" not in {t.number for _, tasks in facts.lagging for t in tasks}


def test_the_docx_of_an_open_round_says_it_is_not_over(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    text = document_text(notice_docx(round2, today=date(YEAR, 4, 10)))
    assert "本次调度尚未结束，信号灯按今天（2026年4月10日）计算。" in text
    closed = document_text(notice_docx(data.round1, today=date(YEAR, 4, 10)))
    assert "尚未结束" not in closed


# ---------------------------------------------------------------- 5. Excel exports


def _sheet(response: object) -> list[tuple[object, ...]]:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith(XLSX)  # type: ignore[index]
    book = openpyxl.load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    return list(book.active.iter_rows(values_only=True))


def test_the_score_ranking_exports_to_excel_with_its_breakdown(cast: Cast) -> None:
    data = follow_up(cast)
    client = client_for(cast.supervisor)
    url = reverse("workplan:scores", args=[data.plan.pk])
    assert "?export=xlsx" in client.get(url).content.decode()
    rows = _sheet(client.get(url, {"export": "xlsx"}))
    assert rows[0][0] == "2026年重点工作科室考核"
    assert rows[1][:7] == ("排名", "股室", "按时报送", "任务完成", "督查情况", "问责扣分", "总分")
    assert {r[1] for r in rows[2:]} == {"教育股", "人事股", "计划财务股"}


def test_the_actions_export_to_excel_with_task_labels(cast: Cast) -> None:
    data = follow_up(cast)
    action_record(
        cast.supervisor,
        data.plan,
        kind="talk",
        department=cast.other_department,
        person="",
        on=TODAY,
        reason="逾期报送",
        tasks=[data.task2],
    )
    client = client_for(cast.department_head)
    url = reverse("workplan:actions", args=[data.plan.pk])
    assert "?export=xlsx" in client.get(url).content.decode()
    rows = _sheet(client.get(url, {"export": "xlsx"}))
    assert rows[1] == ("日期", "措施", "股室", "责任人", "事由", "涉及任务", "记录人")
    assert rows[2][:6] == (
        "2026-05-10",
        "约谈",
        "人事股",
        None,
        "逾期报送",
        "抓常规第2项“教师交流轮岗”",
    )


def test_the_reminders_export_to_excel(cast: Cast) -> None:
    follow_up(cast)
    client = client_for(cast.department_head)
    url = reverse("workplan:reminders")
    assert "?export=xlsx" in client.get(url).content.decode()
    rows = _sheet(client.get(url, {"export": "xlsx"}))
    assert rows[:2] == [("重点工作提醒", None, None), ("类型", "内容", "日期")]


def test_exports_stay_in_scope(cast: Cast) -> None:
    data = follow_up(cast)
    client = client_for(cast.supervisor)
    for name in ("workplan:scores", "workplan:actions"):
        url = reverse(name, args=[data.other_plan.pk])
        assert client.get(url, {"export": "xlsx"}).status_code == 404
        anonymous = Client().get(url, {"export": "xlsx"})
        assert anonymous.status_code == 302


# ---------------------------------------------------------------- 13. minor


def test_a_refused_evidence_file_is_named_in_the_message(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    with pytest.raises(ServiceError) as caught:
        report_save(
            cast.department_head,
            round2,
            data.task1,
            cast.department,
            status=ReportStatus.IN_PROGRESS,
            percent=40,
            now=aware(YEAR, 4, 10),
            files=[SimpleUploadedFile("病毒.exe", b"MZ")],
        )
    assert caught.value.message.startswith("“病毒.exe”的类型不支持，支持：")
    assert "“病毒.exe”的类型不支持" in caught.value.errors["files"]


def test_the_plan_export_title_does_not_repeat_the_word_task(cast: Cast) -> None:
    data = follow_up(cast)
    data.plan.title = "2026年教育重点工作任务"
    data.plan.save()
    url = reverse("workplan:plan", args=[data.plan.pk])
    rows = _sheet(client_for(cast.supervisor).get(url, {"export": "xlsx"}))
    assert rows[0][0] == "2026年教育重点工作任务清单"


def test_the_department_report_page_shows_the_supervision_notes(cast: Cast) -> None:
    data = follow_up(cast)
    round2 = add_round(data.plan, 2, date(YEAR, 4, 30), opened_on=date(YEAR, 3, 1))
    SupervisionNote.objects.create(
        task=data.task1, author=cast.supervisor, text="请补充佐证材料", critical=True
    )
    url = reverse("workplan:report", args=[round2.pk, data.task1.pk])
    body = client_for(cast.department_head).get(url).content.decode()
    assert "<h2>督办意见</h2>" in body
    assert "请补充佐证材料" in body and "计入考核" in body
