"""URL patterns of the follow-up part of key-task supervision (notices, actions, scores, reminders).

Included at the end of `dudao.workplan.urls` (namespace `workplan`).
"""

from django.urls import URLPattern, URLResolver, path

from dudao.workplan import followup_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("rounds/<int:pk>/notice/", views.notice, name="notice"),
    path("rounds/<int:pk>/notice/number/", views.notice_number, name="notice_number"),
    path("rounds/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("plans/<int:pk>/actions/", views.actions, name="actions"),
    path("plans/<int:pk>/scores/", views.scores, name="scores"),
    path("plans/<int:pk>/scores/weights/", views.scores_weights, name="scores_weights"),
    path("reminders/", views.reminders, name="reminders"),
]
