"""Admin registrations of the key-task app (read and repair; day-to-day work is in the pages)."""

from django.contrib import admin

from dudao.workplan.models import Category, Leader, Report, Round, Task, WorkPlan


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "title", "number")
    list_filter = ("county",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("plan", "category", "number", "text", "deadline")
    list_filter = ("plan",)
    search_fields = ("text",)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "title", "due_on", "status")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("round", "task", "department", "role", "status", "percent", "submitted_at")
    list_select_related = ("round", "task", "department")


admin.site.register(Category)
admin.site.register(Leader)
