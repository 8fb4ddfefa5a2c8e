"""Who may verify, return and reopen an item (核验销号、退回、重新打开).

The county office always may. An inspector (督学) of the county may only for items he has a part
in: he inspected the visit the item came from (`visit:<pk>:...` source key), or he is the
school's assigned inspector (责任督学). Never for a school he declared a conflict (回避) with or
works at (Inspector.institution). The inspection models are read here, never written.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from dudao.inspection.models import Assignment, Conflict, Inspector, Visit
from dudao.orgs.models import Institution
from dudao.orgs.selectors import User, can_manage_county
from dudao.rectification.models import Rectification

NOT_INVOLVED = "只有县督导室、该事项所出督查的检查督学或该校责任督学可以核验、退回或重新打开该事项"


def visit_id(item: Rectification) -> int | None:
    """The visit whose findings registered the item (`visit:<pk>:finding:<n>`), if any."""
    match = re.match(r"^visit:(\d+):", item.source_key)
    return int(match.group(1)) if match else None


def verify_refusal(user: User, item: Rectification) -> str:
    """ "" when the user may verify, return and reopen the item; else the reason (Chinese)."""
    if can_manage_county(user, item.county):
        return ""
    profiles = list(Inspector.objects.filter(user_id=user.pk, county=item.county))
    if not profiles:
        return NOT_INVOLVED
    if item.institution is not None:
        barred = _school_refusal(profiles, item.institution)
        if barred:
            return barred
        if Assignment.objects.filter(institution=item.institution, inspector__in=profiles).exists():
            return ""
    visit = visit_id(item)
    if visit is not None and Visit.objects.filter(pk=visit, inspectors__in=profiles).exists():
        return ""
    return NOT_INVOLVED


def _school_refusal(profiles: list[Inspector], school: Institution) -> str:
    """The reason an inspector must keep out of the school's items: 回避 or works there."""
    conflict = Conflict.objects.filter(inspector__in=profiles, institution=school).first()
    if conflict is not None:
        return (
            f"您已声明回避{school.name}（{conflict.reason}），"
            "不能核验、退回或重新打开该校的整改事项"
        )
    if any(p.institution_id == school.pk for p in profiles):
        return f"您在{school.name}任职，不能核验、退回或重新打开本校的整改事项"
    return ""


def can_verify(user: User, item: Rectification) -> bool:
    return not verify_refusal(user, item)


def verifiable_by_inspector(user: User) -> Q:
    """Items an inspector may verify (see the module docstring), as a filter on items."""
    profiles = Inspector.objects.filter(user_id=user.pk)
    assigned = Q(institution__assigned_inspector__inspector__in=profiles)
    visits = sorted(Visit.objects.filter(inspectors__in=profiles).values_list("pk", flat=True))
    involved = assigned
    if visits:
        pattern = "^visit:(" + "|".join(str(v) for v in visits) + "):"
        involved |= Q(source_key__regex=pattern, county__in=profiles.values("county"))
    barred = Conflict.objects.filter(inspector__in=profiles).values("institution")
    works = profiles.exclude(institution=None).values("institution")
    return involved & ~Q(institution__in=barred) & ~Q(institution__in=works)


def inspector_verifiable(user: User, items: QuerySet[Rectification]) -> QuerySet[Rectification]:
    return items.filter(verifiable_by_inspector(user))
