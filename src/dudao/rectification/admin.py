"""Admin pages: read-mostly views for the administrator (history is never edited here)."""

from django.contrib import admin

from dudao.rectification.models import Rectification, RectificationEvent, RectificationFile


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ("county", "institution", "department", "source", "status", "deadline")
    list_filter = ("status", "source")
    readonly_fields = ("version", "created_at", "created_by", "updated_at")


@admin.register(RectificationEvent)
class RectificationEventAdmin(admin.ModelAdmin):
    list_display = ("rectification", "at", "user", "action", "from_status", "to_status")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RectificationFile)
class RectificationFileAdmin(admin.ModelAdmin):
    list_display = ("rectification", "name", "size", "uploaded_by", "uploaded_at")
