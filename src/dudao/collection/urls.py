"""Routes of the collection app (namespace "collection")."""

from django.urls import path

from dudao.collection import views

app_name = "collection"
urlpatterns: list = [
    path("", views.periods, name="periods"),
    path("open/", views.period_open, name="period_open"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.period, name="period"),
    path("<int:pk>/close/", views.period_close, name="period_close"),
    path("<int:pk>/import/", views.county_import, name="import"),
    path("<int:pk>/template/", views.county_template, name="template"),
    path("<int:pk>/county/", views.county_items, name="county_items"),
    path("<int:pk>/county/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/school/<int:institution>/", views.fill, name="fill"),
    path("submission/<int:pk>/", views.review, name="review"),
    path("submission/<int:pk>/return/", views.submission_return, name="return"),
    path("submission/<int:pk>/approve/", views.submission_approve, name="approve"),
    path("submission/<int:pk>/reopen/", views.submission_reopen, name="reopen"),
    path("submission/<int:pk>/history/", views.history, name="history"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
