"""Admin registration of regions: the administrator sets a county's education bureau name.

Regions are created by the region and institution imports; here only the bureau name
(教育行政部门名称, printed as the issuer of the key-task notices) is edited.
"""

from django.contrib import admin
from django.http import HttpRequest

from dudao.orgs.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "bureau_name")
    list_filter = ("level",)
    search_fields = ("name", "code")
    fields = ("name", "code", "level", "parent", "bureau_name")
    readonly_fields = ("name", "code", "level", "parent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
