"""Errors every app's services raise: a refused action, and a stale edit (no lost update)."""

from __future__ import annotations

from collections.abc import Mapping


class ServiceError(Exception):
    """A refused action: a Chinese message, and per-field reasons when fields are at fault."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors: dict[str, str] = dict(errors or {})


class StaleEdit(ServiceError):
    """The record changed since the form was loaded: nothing was saved."""

    MESSAGE = "该记录已被他人修改，请刷新后再改"

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)
