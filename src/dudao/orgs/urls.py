"""Routes of the organisation app: institutions and the people of a county."""

from django.urls import path

from dudao.orgs import user_views, views

app_name = "orgs"
urlpatterns = [
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("institutions/import/", views.institution_import, name="institution_import"),
    path("institutions/template.csv", views.institution_template, name="institution_template"),
    path("users/", user_views.users, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
    path("memberships/<int:pk>/delete/", user_views.membership_delete, name="membership_delete"),
]
