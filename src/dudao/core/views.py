"""Log-in (throttled) and the home page, which sends each role to its dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dudao.core import throttle
from dudao.core.dashboards import dashboard_context
from dudao.core.todo import supervision_todos


class LoginView(auth_views.LoginView):
    """Django's log-in with a pause after LOGIN_FAILURE_LIMIT failures."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        address = request.META.get("REMOTE_ADDR", "")
        if throttle.is_locked(username, address):
            messages.error(request, "登录失败次数过多，请 15 分钟后再试。")
            return self.get(request, *args, **kwargs)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear(username, address)
        else:
            throttle.record_failure(username, address)
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request.user)
    context["todos"] = supervision_todos(request.user, today=timezone.localdate())
    return render(request, "core/home.html", context)
