"""Template context shared by every page: the user's roles for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from dudao.orgs.selectors import is_admin, memberships


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    mine = memberships(user)
    return {
        "my_memberships": mine,
        "my_roles": {m.role for m in mine},
        "is_admin": is_admin(user),
    }
