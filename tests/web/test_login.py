"""Log-in (with a pause after repeated failures), log-out and the session's lifetime."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import PASSWORD, Cast
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

LOGIN = reverse("login")
HOME = reverse("home")
LOCKED = "登录失败次数过多，请 15 分钟后再试。"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _log_in(client: Client, password: str, username: str = "clerk_a") -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_right_password_logs_in(client: Client, cast: Cast) -> None:
    response = _log_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_a_wrong_password_is_refused(client: Client, cast: Cast) -> None:
    response = _log_in(client, "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.text
    assert client.get(HOME).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_after_too_many_failures_even_the_right_password_is_refused(
    client: Client, cast: Cast
) -> None:
    for _ in range(3):
        _log_in(client, "wrong")
    response = _log_in(client, PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.text
    assert client.get(HOME).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_pause_is_per_user_name(client: Client, cast: Cast) -> None:
    for _ in range(3):
        _log_in(client, "wrong")
    assert _log_in(client, PASSWORD, username="clerk_b").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_clears_the_failures(client: Client, cast: Cast) -> None:
    for _ in range(2):
        _log_in(client, "wrong")
    assert _log_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        _log_in(client, "wrong")
    assert _log_in(client, PASSWORD).status_code == 302


def test_log_out_ends_the_session(client: Client, cast: Cast) -> None:
    _log_in(client, PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(HOME).status_code == 302


def test_anonymous_visitors_of_the_home_page_are_sent_to_log_in(client: Client) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"


def test_the_session_ends_when_the_browser_closes(client: Client, cast: Cast) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    response = _log_in(client, PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
