"""Typed errors of the rectification services (Chinese messages, per-field reasons)."""

from __future__ import annotations

from dudao.core import errors


class RectificationError(errors.ServiceError):
    """A refused rectification action."""


class StaleEdit(errors.StaleEdit, RectificationError):
    """The item changed since the form was loaded: nothing was saved."""
