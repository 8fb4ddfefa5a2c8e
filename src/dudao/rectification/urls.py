"""Routes of the rectification app (namespace "rectification")."""

from django.urls import URLPattern, URLResolver, path

from dudao.rectification import views, views_lists

app_name = "rectification"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.items, name="items"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/return/", views.return_item, name="return"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("lists/", views_lists.lists, name="lists"),
    path("weekly/", views_lists.weekly, name="weekly"),
    path("weekly/export/", views_lists.weekly_export, name="weekly_export"),
    path("weekly/notice.docx", views_lists.weekly_docx, name="weekly_docx"),
    path("notice/<int:institution>/", views_lists.notice, name="notice"),
    path(
        "notice/<int:institution>/renumber/",
        views_lists.notice_renumber,
        name="notice_renumber",
    ),
    path("from-run/<int:run>/", views_lists.from_run, name="from_run"),
    path("file/<int:pk>/", views.file_download, name="file"),
]
