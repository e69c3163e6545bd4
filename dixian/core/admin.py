from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dixian.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: nobody adds, edits or deletes through the admin."""

    list_display = ("at", "user", "action", "object_type", "object_id", "detail", "ip_address")
    list_filter = ("action", "at")
    search_fields = ("user__username", "user__full_name", "object_id", "detail")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
