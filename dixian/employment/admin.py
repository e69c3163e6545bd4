from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dixian.accounts import scope
from dixian.accounts.scoped_admin import ScopedHistoryAdmin
from dixian.employment.models import EmploymentRecord, WorkPlan


@admin.register(EmploymentRecord)
class EmploymentRecordAdmin(ScopedHistoryAdmin):
    list_display = ("person", "is_working", "province", "county", "employer", "monthly_income", "channel")
    list_filter = ("is_working", "channel", "point_to_point")
    search_fields = ("=person__household__number", "=person__name")
    raw_id_fields = ("person",)
    list_select_related = ("person",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[EmploymentRecord]:
        return scope.employment_visible_to(request.user)


@admin.register(WorkPlan)
class WorkPlanAdmin(ScopedHistoryAdmin):
    list_display = ("person", "plans_to_work", "service_needs")
    list_filter = ("plans_to_work",)
    search_fields = ("=person__household__number", "=person__name")
    raw_id_fields = ("person",)
    list_select_related = ("person",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[WorkPlan]:
        return scope.work_plans_visible_to(request.user)
