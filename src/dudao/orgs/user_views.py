"""People of a county, managed by its county office: list, new person, password reset, roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dudao.orgs import services
from dudao.orgs.forms import UserCreateForm
from dudao.orgs.models import Region
from dudao.orgs.people import (
    county_memberships,
    county_of,
    managed_counties,
    managed_county,
    membership_for,
    person_for,
)

PAGE_SIZE = 50


def _users_url(county: Region | None) -> str:
    url = reverse("orgs:users")
    return f"{url}?county={county.pk}" if county else url


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """Everyone with a role in the county, searchable by user name or name, 50 a page."""
    county = managed_county(request.user, request.GET.get("county"))
    found = county_memberships(county)
    if text := request.GET.get("q", "").strip():
        found = found.filter(
            Q(user__username__icontains=text) | Q(user__first_name__icontains=text)
        )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/users.html",
        {"county": county, "page": page, "q": text, "counties": managed_counties(request.user)},
    )


@never_cache
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """A new person with one role in the county; the initial password is shown once."""
    county = managed_county(request.user, request.GET.get("county"))
    form = UserCreateForm(request.POST or None, county)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = services.user_create(request.user, county, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "orgs/password_shown.html",
                {"person": person, "password": password, "county": county, "created": True},
            )
    return render(request, "orgs/user_create.html", {"form": form, "county": county})


@never_cache
@login_required
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset a person's password to a new random one, shown once."""
    person = person_for(request.user, pk)
    county = managed_county(request.user, request.GET.get("county"))
    try:
        password = services.password_reset(request.user, person)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(_users_url(county))
    return render(
        request,
        "orgs/password_shown.html",
        {"person": person, "password": password, "county": county, "created": False},
    )


@login_required
@require_POST
def membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one role of a person of the county."""
    membership = membership_for(request.user, pk)
    county = county_of(membership)
    try:
        services.membership_remove(request.user, membership)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"已删除 {membership.user} 的角色“{membership.get_role_display()}”。"
        )
    return redirect(_users_url(county))
