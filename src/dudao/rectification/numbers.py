"""Rectification notice numbers (文号) of the form 前缀〔年〕N号, e.g. 青教督改〔2026〕3号."""

from __future__ import annotations

import re

from dudao.orgs.models import Region
from dudao.rectification.models import RectificationNotice

NUMBER_MAX = 50
PATTERN = re.compile(r"^(?P<prefix>.*)〔(?P<year>\d{4})〕(?P<n>\d+)号$")


def prefix_of(number: str) -> str:
    """The prefix of a number of the usual form ("" otherwise, or when it has none)."""
    match = PATTERN.match(number.strip())
    return match.group("prefix").strip()[:30] if match else ""


def next_sequence(county: Region, prefix: str, year: int) -> int:
    """1 + the highest N of the county's numbers `prefix〔year〕N号` (typed or generated)."""
    numbers = RectificationNotice.objects.filter(
        institution__county=county, number__startswith=f"{prefix}〔{year}〕"
    ).values_list("number", flat=True)
    found = [PATTERN.match(n) for n in numbers]
    taken = [int(m.group("n")) for m in found if m and m.group("prefix") == prefix]
    return max(taken, default=0) + 1


def proposed_prefix(county: Region) -> str:
    """The prefix of the county's latest notice that has one (proposed for the next)."""
    latest = (
        RectificationNotice.objects.filter(institution__county=county)
        .exclude(prefix="")
        .order_by("-issued_at", "-pk")
        .first()
    )
    return latest.prefix if latest is not None else ""
