"""URL routes of the web platform."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dudao.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", include("dudao.orgs.urls")),
    path("collection/", include("dudao.collection.urls")),
    path("evaluation/", include("dudao.evaluation.urls")),
    path("workplan/", include("dudao.workplan.urls")),
    path("inspection/", include("dudao.inspection.urls")),
    path("rectification/", include("dudao.rectification.urls")),
    path("admin/", admin.site.urls),
]
