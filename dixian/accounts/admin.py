from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dixian.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("所属单位与联系方式", {"fields": ("org_unit", "full_name", "phone")}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        ("所属单位与联系方式", {"fields": ("org_unit", "full_name", "phone")}),
    )
    list_display = ("username", "full_name", "org_unit", "role_labels", "is_staff", "is_active", "last_login")
    list_filter = ("groups", "org_unit__kind", "is_staff", "is_active")
    search_fields = ("username", "full_name", "phone", "org_unit__name")
    autocomplete_fields = ("org_unit",)
    list_select_related = ("org_unit",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="角色")
    def role_labels(self, obj: User) -> str:
        return "、".join(g.name for g in obj.groups.all())


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by the API (the key is shown once); here they can only be revoked."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "user__username")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
