"""`dudao tasks ...`: key-task decomposition tables (重点工作分解表), no database needed."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's sub-commands to the `dudao` parser."""
