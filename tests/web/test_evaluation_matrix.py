"""The school × indicator matrix of the results page: filters, sorting, htmx swap; the charts."""

from __future__ import annotations

import pytest
from conftest import Cast
from django.test import Client
from django.urls import reverse
from test_evaluation_data import GOOD_JUNIOR, GOOD_PRIMARY, POOR_PRIMARY, submit

from dudao.evaluation.charts import COLOURS, cv_charts, distribution_chart
from dudao.evaluation.models import Run
from dudao.evaluation.services import run_evaluation
from dudao.evaluation.stored import StoredRun
from dudao.orgs.choices import RegionLevel
from dudao.orgs.models import Institution, Region

SPORTS = "sports_area_per_student"


@pytest.fixture
def run(cast: Cast) -> Run:
    """Sports ground per pupil: A 6.0 (石桥镇, 小学), B 11.0 (初中, no township),
    D 8.0 (城关镇, 小学); E (城关镇, 小学) has no pupils, so no values."""
    town = Region.objects.create(
        name="城关镇", code="510822100", level=RegionLevel.TOWNSHIP, parent=cast.county
    )
    school_d = Institution.objects.create(
        code="2151000004",
        name="城关第二小学",
        school_type="小学",
        ownership="公办",
        county=cast.county,
        township=town,
    )
    school_e = Institution.objects.create(
        code="2151000005",
        name="新建小学",
        school_type="小学",
        ownership="公办",
        county=cast.county,
        township=town,
    )
    submit(cast.period, cast.school_a, POOR_PRIMARY)
    submit(cast.period, cast.school_b, GOOD_JUNIOR)
    submit(cast.period, school_d, GOOD_PRIMARY)
    submit(cast.period, school_e, {"students_primary": None})
    return run_evaluation(cast.supervisor, cast.period)


def matrix_codes(client: Client, cast: Cast, run: Run, query: str) -> list[str]:
    client.force_login(cast.supervisor)
    response = client.get(reverse("evaluation:run", args=[run.pk]) + query)
    assert response.status_code == 200
    return [row.code for row in response.context["matrix"].rows]


def test_the_matrix_lists_every_unit_in_code_order(client: Client, cast: Cast, run: Run) -> None:
    codes = matrix_codes(client, cast, run, "")
    assert codes == ["2151000001", "2151000002", "2151000004", "2151000005"]


def test_the_matrix_filters_by_township(client: Client, cast: Cast, run: Run) -> None:
    assert matrix_codes(client, cast, run, "?township=石桥镇") == ["2151000001"]
    assert matrix_codes(client, cast, run, "?township=城关镇") == ["2151000004", "2151000005"]


def test_the_matrix_filters_by_school_type_and_level(client: Client, cast: Cast, run: Run) -> None:
    assert matrix_codes(client, cast, run, "?type=初中") == ["2151000002"]
    assert matrix_codes(client, cast, run, "?level=junior") == ["2151000002"]
    assert matrix_codes(client, cast, run, "?type=小学&township=城关镇&level=primary") == [
        "2151000004",
        "2151000005",
    ]


def test_the_matrix_sorts_by_an_indicator_with_empty_values_last(
    client: Client, cast: Cast, run: Run
) -> None:
    up = matrix_codes(client, cast, run, f"?sort={SPORTS}")
    down = matrix_codes(client, cast, run, f"?sort=-{SPORTS}")
    assert up == ["2151000001", "2151000004", "2151000002", "2151000005"]
    assert down == ["2151000002", "2151000004", "2151000001", "2151000005"]


def test_the_matrix_sorts_by_name_and_keeps_the_filter(
    client: Client, cast: Cast, run: Run
) -> None:
    client.force_login(cast.supervisor)
    response = client.get(reverse("evaluation:run", args=[run.pk]) + "?township=城关镇&sort=-name")
    matrix = response.context["matrix"]
    assert [r.name for r in matrix.rows] == ["新建小学", "城关第二小学"]
    name_column = next(c for c in matrix.fixed if c.key == "name")
    assert name_column.arrow == "▼"
    assert "sort=name" in name_column.query and "township=" in name_column.query


def test_an_unknown_sort_falls_back_to_the_code_order(client: Client, cast: Cast, run: Run) -> None:
    codes = matrix_codes(client, cast, run, "?sort=-nonsense")
    assert codes == ["2151000001", "2151000002", "2151000004", "2151000005"]


def test_the_matrix_colours_cells_met_near_below(client: Client, cast: Cast, run: Run) -> None:
    client.force_login(cast.supervisor)
    response = client.get(reverse("evaluation:run", args=[run.pk]) + "?township=石桥镇")
    cells = response.context["matrix"].rows[0].cells
    assert [c.css for c in cells].count("below") == 1
    assert {c.css for c in cells} == {"met", "below"}


def test_an_htmx_request_gets_only_the_matrix(client: Client, cast: Cast, run: Run) -> None:
    client.force_login(cast.supervisor)
    url = reverse("evaluation:run", args=[run.pk]) + "?type=初中"
    response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="matrix")
    page = response.content.decode()
    assert "<html" not in page
    assert "城关第一初级中学" in page and "城关第二小学" not in page


def test_the_cv_chart_marks_each_cv_against_its_limit(cast: Cast, run: Run) -> None:
    charts = cv_charts(StoredRun(run))
    assert [c.level for c in charts] == ["primary", "junior"]
    primary = charts[0]
    assert primary.limit_text == "标准 0.50"
    sports = next(b for b in primary.bars if b.label == "生均体育运动场馆面积")
    assert sports.fill == COLOURS["pass"]
    assert all(b.x + b.width <= primary.width for b in primary.bars)


def test_the_distribution_chart_draws_the_standard_and_skips_missing_values(
    cast: Cast, run: Run
) -> None:
    chart = distribution_chart(StoredRun(run), SPORTS, "primary")
    assert chart is not None
    assert [b.value for b in chart.bars] == ["6.00", "8.00"]  # ascending
    assert [b.fill for b in chart.bars] == [COLOURS["below"], COLOURS["met"]]
    assert chart.missing == 1
    assert chart.standard_text == "标准 7.5"
    assert chart.standard_y is not None and chart.bars[0].y > chart.standard_y
    assert distribution_chart(StoredRun(run), "no-such-indicator", "primary") is None
