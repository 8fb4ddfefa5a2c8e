from django.urls import path

from dudao.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("periods/<int:period_pk>/run/", views.start, name="start"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/units/<str:code>/<str:level>/", views.unit, name="unit"),
    path("runs/<int:pk>/export/", views.export, name="export"),
    path("compare/", views.compare, name="compare"),
]
