"""Error pages in Chinese: 403 with the reason given by the view, 404, 500 and an expired form."""

from __future__ import annotations

from conftest import Cast, client_for
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_a_refusal_says_why_in_chinese(cast: Cast) -> None:
    response = client_for(cast.department_head).get(reverse("workplan:import"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权进行此操作" in text
    assert "只有县督导室可以导入任务分解表" in text
    assert "Forbidden" not in text


def test_a_missing_or_out_of_scope_page_is_explained(cast: Cast) -> None:
    response = client_for(cast.department_head).get("/workplan/tasks/999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "其他区县" in text
    assert "Not Found" not in text


def test_a_server_error_page_needs_no_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()


def test_a_post_without_its_token_gets_the_expired_page(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.supervisor)
    response = client.post(reverse("workplan:import"), {})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
