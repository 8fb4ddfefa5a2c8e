"""The evaluation pages: run list, starting a run, results, drill-down, export, comparison."""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
import pytest
from conftest import PASSWORD, Cast
from django.test import Client
from django.urls import reverse
from test_evaluation_data import GOOD_JUNIOR, GOOD_PRIMARY, POOR_PRIMARY, submit

from dudao.collection.models import Period, Submission
from dudao.engine.workbook import SHEETS
from dudao.evaluation.models import Run
from dudao.evaluation.services import run_evaluation

READERS = ["supervisor", "leader", "city_reviewer", "admin"]


def login(client: Client, user: object) -> Client:
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def run(cast: Cast) -> Run:
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR, status="submitted")
    return run_evaluation(cast.supervisor, cast.period)


def urls_of(run: Run) -> list[str]:
    code = run.inputs["schools"][0]["school_code"]
    return [
        reverse("evaluation:run", args=[run.pk]),
        reverse("evaluation:unit", args=[run.pk, code, "primary"]),
        reverse("evaluation:export", args=[run.pk]),
        reverse("evaluation:compare") + f"?base={run.pk}&other={run.pk}",
    ]


# ---------------------------------------------------------------- list


@pytest.mark.parametrize("who", READERS)
def test_county_readers_see_the_run_list(client: Client, cast: Cast, run: Run, who: str) -> None:
    response = login(client, getattr(cast, who)).get(reverse("evaluation:runs"))
    assert response.status_code == 200
    assert reverse("evaluation:run", args=[run.pk]).encode() in response.content


def test_the_other_county_does_not_see_the_run(client: Client, cast: Cast, run: Run) -> None:
    response = login(client, cast.other_supervisor).get(reverse("evaluation:runs"))
    assert response.status_code == 200
    assert reverse("evaluation:run", args=[run.pk]).encode() not in response.content


@pytest.mark.parametrize("who", ["clerk_a", "principal_a", "department_head", "nobody"])
def test_school_and_department_people_get_404_for_runs(
    client: Client, cast: Cast, run: Run, who: str
) -> None:
    login(client, getattr(cast, who))
    assert client.get(reverse("evaluation:runs")).status_code == 404
    for url in urls_of(run):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client: Client, run: Run) -> None:
    for url in [reverse("evaluation:runs"), *urls_of(run)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_only_the_county_office_gets_a_run_button(client: Client, cast: Cast) -> None:
    start = reverse("evaluation:start", args=[cast.period.pk]).encode()
    assert start in login(client, cast.supervisor).get(reverse("evaluation:runs")).content
    assert start not in login(client, cast.leader).get(reverse("evaluation:runs")).content


def test_the_run_list_takes_a_bounded_number_of_queries(
    client: Client, cast: Cast, django_assert_max_num_queries: object
) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    for _ in range(6):
        run_evaluation(cast.supervisor, cast.period)
    login(client, cast.supervisor)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(reverse("evaluation:runs"))
    assert (
        response.content.count(b"\xe4\xb8\x8e\xe4\xb8\x8a\xe6\xac\xa1\xe6\xaf\x94\xe8\xbe\x83") == 5
    )


# ---------------------------------------------------------------- starting a run


def test_the_county_office_starts_a_run_and_sees_it(client: Client, cast: Cast) -> None:
    submit(cast.period, cast.school_a, GOOD_PRIMARY)
    login(client, cast.supervisor)
    response = client.post(reverse("evaluation:start", args=[cast.period.pk]), follow=True)
    run = Run.objects.get()
    assert response.redirect_chain[-1][0] == reverse("evaluation:run", args=[run.pk])
    assert "评估已完成" in response.content.decode()
    assert "1 所学校未纳入" in response.content.decode()


def test_a_run_without_approved_schools_says_so(client: Client, cast: Cast) -> None:
    login(client, cast.supervisor)
    response = client.post(reverse("evaluation:start", args=[cast.period.pk]), follow=True)
    assert "没有已审核通过的学校数据" in response.content.decode()


def test_readers_may_not_start_a_run(client: Client, cast: Cast) -> None:
    for who, status in [("leader", 403), ("city_reviewer", 403), ("other_supervisor", 404)]:
        login(client, getattr(cast, who))
        response = client.post(reverse("evaluation:start", args=[cast.period.pk]))
        assert response.status_code == status, who
    assert not Run.objects.exists()


def test_starting_a_run_needs_a_post(client: Client, cast: Cast) -> None:
    login(client, cast.supervisor)
    assert client.get(reverse("evaluation:start", args=[cast.period.pk])).status_code == 405


def test_anonymous_visitors_cannot_start_a_run(client: Client, cast: Cast) -> None:
    response = client.post(reverse("evaluation:start", args=[cast.period.pk]))
    assert response.status_code == 302
    assert not Run.objects.exists()


# ---------------------------------------------------------------- results page


@pytest.mark.parametrize("who", READERS)
def test_the_results_page_shows_verdict_missing_cv_matrix_gaps_and_charts(
    client: Client, cast: Cast, run: Run, who: str
) -> None:
    response = login(client, getattr(cast, who)).get(reverse("evaluation:run", args=[run.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="fail">未达标</span>' in page
    assert "石桥镇中心小学（小学）未达标" in page  # a reason
    assert "城关第一初级中学" in page and "已提交" in page  # missing school with its status
    assert "校际差异系数" in page and "标准 ≤ 0.50" in page
    assert 'class="num below"' in page  # the failing sports ground cell
    assert "体育运动场地" in page or "体育运动场馆面积" in page
    assert "差距与经费测算" in page and "全县合计" in page
    assert page.count("<svg") == 2  # CV chart (primary) and the distribution chart
    assert 'class="standard"' in page and 'class="limit"' in page


def test_the_results_page_takes_a_bounded_number_of_queries(
    client: Client, cast: Cast, run: Run, django_assert_max_num_queries: object
) -> None:
    for _ in range(3):
        run_evaluation(cast.supervisor, cast.period)
    login(client, cast.supervisor)
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        response = client.get(reverse("evaluation:run", args=[run.pk]))
    assert response.status_code == 200


def test_a_county_only_framework_has_results_without_schools(client: Client, cast: Cast) -> None:
    period = Period.objects.create(county=cast.county, name="2026年度", framework="xqph-2020")
    run = run_evaluation(cast.supervisor, period)
    login(client, cast.supervisor)
    page = client.get(reverse("evaluation:run", args=[run.pk])).content.decode()
    assert "县级指标与一票否决" in page and "学校达标情况" not in page
    export = client.get(reverse("evaluation:export", args=[run.pk]))
    assert tuple(openpyxl.load_workbook(io.BytesIO(export.content)).sheetnames) == SHEETS


def test_the_other_county_gets_404_for_every_run_page(client: Client, cast: Cast, run: Run) -> None:
    login(client, cast.other_supervisor)
    for url in urls_of(run):
        assert client.get(url).status_code == 404, url


def test_a_changed_framework_file_is_announced_on_the_results_page(
    client: Client, cast: Cast, run: Run
) -> None:
    changed = _copy(run, framework_digest="0" * 64)
    page = login(client, cast.supervisor).get(reverse("evaluation:run", args=[changed.pk]))
    assert "导出保存的评估结果（JSON）" in page.content.decode()


def test_the_distribution_chart_follows_the_chosen_indicator(
    client: Client, cast: Cast, run: Run
) -> None:
    url = reverse("evaluation:run", args=[run.pk]) + "?indicator=sports_area_per_student"
    page = login(client, cast.supervisor).get(url).content.decode()
    assert "小学 · 生均体育运动场馆面积" in page
    assert "标准 7.5" in page


# ---------------------------------------------------------------- drill-down


@pytest.mark.parametrize("who", READERS)
def test_a_school_drill_down_shows_values_against_standards(
    client: Client, cast: Cast, run: Run, who: str
) -> None:
    url = reverse("evaluation:unit", args=[run.pk, cast.school_a.code, "primary"])
    response = login(client, getattr(cast, who)).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "石桥镇中心小学（小学）" in page
    assert "80.0%" in page  # 6.0 of 7.5 m² per pupil
    assert "体育运动场馆面积" in page  # the stored figures


def test_an_unknown_unit_is_404(client: Client, cast: Cast, run: Run) -> None:
    login(client, cast.supervisor)
    for code, level in [(cast.school_a.code, "junior"), (cast.school_b.code, "junior")]:
        url = reverse("evaluation:unit", args=[run.pk, code, level])
        assert client.get(url).status_code == 404


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("who", READERS)
def test_the_export_is_the_command_line_workbook(
    client: Client, cast: Cast, run: Run, who: str
) -> None:
    response = login(client, getattr(cast, who)).get(reverse("evaluation:export", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    name = quote(f"青川县2026学年评估结果-{run.pk}.xlsx")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"evaluation-{run.pk}.xlsx\"; filename*=UTF-8''{name}"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert tuple(book.sheetnames) == SHEETS
    assert book["总体结论"]["B2"].value == "未达标"


def test_a_changed_framework_exports_the_stored_json(client: Client, cast: Cast, run: Run) -> None:
    changed = _copy(run, framework_digest="0" * 64)
    response = login(client, cast.supervisor).get(reverse("evaluation:export", args=[changed.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].endswith(".json")
    assert response.json() == run.result


# ---------------------------------------------------------------- comparison


def _copy(run: Run, **changes: object) -> Run:
    """A new run with the same data and some fields changed (runs cannot be edited)."""
    fields = {
        f.name: getattr(run, f.name)
        for f in Run._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }
    return Run.objects.create(**(fields | changes))


@pytest.mark.parametrize("who", READERS)
def test_a_comparison_shows_the_changed_verdict_cvs_units_and_reasons(
    client: Client, cast: Cast, who: str
) -> None:
    submission = submit(cast.period, cast.school_a, GOOD_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    first = run_evaluation(cast.supervisor, cast.period)
    Submission.objects.filter(pk=submission.pk).update(values=POOR_PRIMARY)
    second = run_evaluation(cast.supervisor, cast.period)
    url = reverse("evaluation:compare") + f"?base={second.pk}&other={first.pk}"
    response = login(client, getattr(cast, who)).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "结论有变化" in page
    assert '<td class="incomplete">数据不全，无法判定</td>' in page
    assert "未达标" in page
    assert "石桥镇中心小学" in page and '<td class="fail">未达标</td>' in page
    assert "石桥镇中心小学（小学）未达标" in page  # an added reason


def test_runs_of_two_counties_are_not_compared(client: Client, cast: Cast, run: Run) -> None:
    other = run_evaluation(cast.other_supervisor, cast.other_period)
    url = reverse("evaluation:compare") + f"?base={run.pk}&other={other.pk}"
    response = login(client, cast.admin).get(url, follow=True)
    assert "只能比较同一区县的两次评估" in response.content.decode()


def test_a_comparison_needs_two_runs(client: Client, cast: Cast, run: Run) -> None:
    login(client, cast.supervisor)
    assert client.get(reverse("evaluation:compare") + f"?base={run.pk}").status_code == 404
