"""Routes of the inspection app (namespace "inspection")."""

from django.urls import URLPattern, URLResolver, path

from dudao.inspection import draw_views, views, visit_views

app_name = "inspection"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("county/<int:pk>/", views.county, name="county"),
    path("county/<int:pk>/inspectors/", views.inspectors, name="inspectors"),
    path("county/<int:pk>/inspectors/new/", views.inspector_new, name="inspector_new"),
    path("county/<int:pk>/assignments/", views.assignments, name="assignments"),
    path("county/<int:pk>/checklists/new/", views.checklist_new, name="checklist_new"),
    path("inspector/<int:pk>/", views.inspector, name="inspector"),
    path("inspector/<int:pk>/conflicts/", views.conflict_add, name="conflict_add"),
    path("conflict/<int:pk>/remove/", views.conflict_remove, name="conflict_remove"),
    path("checklist/<int:pk>/", views.checklist, name="checklist"),
    path("school/<int:pk>/card/", views.sign_card, name="sign_card"),
    path("county/<int:pk>/draws/new/", draw_views.draw_prepare, name="draw_prepare"),
    path("draw/<int:pk>/", draw_views.draw, name="draw"),
    path("draw/<int:pk>/run/", draw_views.draw_run, name="draw_run"),
    path("draw/<int:pk>/publish/", draw_views.draw_publish, name="draw_publish"),
    path("draw/<int:pk>/cancel/", draw_views.draw_cancel, name="draw_cancel"),
    path("draw/<int:pk>/plan/", draw_views.plan_from_draw, name="plan_from_draw"),
    path("draw/<int:pk>/notice.docx", draw_views.draw_docx, name="draw_docx"),
    path("draw/<int:pk>/<str:name>.csv", draw_views.draw_file, name="draw_file"),
    path("county/<int:pk>/plans/new/", visit_views.plan_new, name="plan_new"),
    path("county/<int:pk>/reinspection/", visit_views.reinspection, name="reinspection"),
    path("county/<int:pk>/visit-schedule/", visit_views.visit_schedule, name="visit_schedule"),
    path("plan/<int:pk>/", visit_views.plan, name="plan"),
    path("plan/<int:pk>/targets/", visit_views.target_add, name="target_add"),
    path("plan/<int:pk>/delete/", visit_views.plan_delete, name="plan_delete"),
    path("target/<int:pk>/edit/", visit_views.target_edit, name="target_edit"),
    path("target/<int:pk>/remove/", visit_views.target_remove, name="target_remove"),
    path("target/<int:pk>/visit/", visit_views.visit_record, name="visit_record"),
    path("visit/<int:pk>/", visit_views.visit, name="visit"),
    path("visit/<int:pk>/findings/", visit_views.findings_add, name="findings_add"),
    path("visit/<int:pk>/report.docx", visit_views.visit_docx, name="visit_docx"),
    path("file/<int:pk>/", visit_views.visit_file, name="visit_file"),
]
