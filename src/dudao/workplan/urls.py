"""Routes of the key-task app (namespace "workplan"); the follow-up part (notices, actions,
scores, reminders) is in `urls_followup.py`."""

from django.urls import URLPattern, URLResolver, path

from dudao.workplan import views, views_import, views_rounds, views_settings
from dudao.workplan.urls_followup import urlpatterns as followup_urlpatterns

app_name = "workplan"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("leading/", views.leading, name="leading"),
    path("import/", views_import.upload, name="import"),
    path("import/sample.xlsx", views_import.sample, name="sample"),
    path("import/<int:pk>/", views_import.preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views_import.confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views_import.discard, name="import_discard"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/settings/", views_settings.plan_settings, name="plan_settings"),
    path(
        "plans/<int:pk>/leaders/<int:leader>/",
        views_settings.leader_update,
        name="leader_update",
    ),
    path("plans/<int:pk>/rounds/open/", views_rounds.round_open, name="round_open"),
    path("rounds/<int:pk>/", views_rounds.round_page, name="round"),
    path("rounds/<int:pk>/close/", views_rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/tasks/<int:task>/report/", views_rounds.report, name="report"),
    path("files/<int:pk>/", views_rounds.report_file, name="report_file"),
    path("files/<int:pk>/remove/", views_rounds.report_file_remove, name="report_file_remove"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/edit/", views_rounds.task_edit, name="task_edit"),
    path("tasks/<int:pk>/notes/", views_rounds.note_add, name="note_add"),
    path("tasks/<int:pk>/comments/", views_rounds.comment_add, name="comment_add"),
]
urlpatterns += followup_urlpatterns
