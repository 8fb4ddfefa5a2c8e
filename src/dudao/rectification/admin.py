"""Admin pages: read-mostly views for the administrator.

The status and the version move only through the services (the state machine records every
change); the history and the evidence files are never added, changed or deleted here.
"""

from django.contrib import admin

from dudao.rectification.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    RectificationNotice,
)


class ReadOnlyMixin:
    """Seen, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = RectificationEvent
    fields = ("at", "user", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ("county", "institution", "department", "source", "status", "deadline")
    list_filter = ("status", "source")
    readonly_fields = ("status", "response", "version", "created_at", "created_by", "updated_at")
    inlines = (EventInline,)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # items are registered on the site, with their history

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RectificationEvent)
class RectificationEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("rectification", "at", "user", "action", "from_status", "to_status")
    list_filter = ("action",)


@admin.register(RectificationFile)
class RectificationFileAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("rectification", "name", "size", "uploaded_by", "uploaded_at")


@admin.register(RectificationNotice)
class RectificationNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("institution", "number", "issued_at", "issued_by")
