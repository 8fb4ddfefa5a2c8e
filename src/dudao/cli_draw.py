"""`dudao draw ...`: re-run a published random draw (双随机) from its seed and candidate lists."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the `dudao` parser."""
