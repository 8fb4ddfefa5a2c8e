"""Errors raised by the inspection services (the platform's common service errors)."""

from __future__ import annotations

from dudao.core.errors import ServiceError, StaleEdit

__all__ = ["ServiceError", "StaleEdit"]
