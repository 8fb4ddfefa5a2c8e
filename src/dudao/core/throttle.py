"""Login throttling: a pause after repeated failures for one user name from one address."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    return f"login-failures:{username.strip().lower()}:{address}"


def is_locked(username: str, address: str) -> bool:
    failures: int = cache.get(_key(username, address), 0)
    return failures >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.set(key, cache.get(key, 0) + 1, settings.LOGIN_LOCK_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
