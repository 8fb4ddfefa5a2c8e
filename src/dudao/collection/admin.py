"""Admin pages: read-mostly views for the administrator (history is never edited here)."""

from django.contrib import admin

from dudao.collection.models import Change, Evidence, Period, Submission


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("county", "name", "framework", "status", "opened_at", "closed_at")
    list_filter = ("status", "framework")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("period", "institution", "status", "version", "updated_at", "updated_by")
    list_filter = ("status",)
    readonly_fields = ("version", "updated_at", "updated_by")


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ("submission", "at", "user", "action", "field", "old", "new")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("submission", "field", "name", "size", "uploaded_by", "uploaded_at")
