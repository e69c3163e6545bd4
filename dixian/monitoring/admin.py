from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dixian.accounts import scope
from dixian.accounts.scoped_admin import ScopedHistoryAdmin
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseAnalysis,
    CaseRisk,
    EliminationCase,
    HouseholdEvent,
    MonitoringCase,
    ScreeningWarning,
)


class CaseRiskInline(admin.TabularInline):
    model = CaseRisk
    extra = 0
    max_num = 5


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(ScopedHistoryAdmin):
    list_display = ("household", "category", "status", "identified_on", "eliminated", "elimination_method")
    list_filter = ("category", "status", "eliminated", "elimination_method")
    search_fields = ("=household__number",)
    autocomplete_fields = ("household",)
    date_hierarchy = "identified_on"
    list_select_related = ("household",)
    inlines = [CaseRiskInline]

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[MonitoringCase]:
        return scope.cases_visible_to(request.user)


@admin.register(CaseRisk)
class CaseRiskAdmin(ScopedHistoryAdmin):
    list_display = ("case", "position", "risk_type")
    list_filter = ("risk_type",)
    search_fields = ("=case__household__number",)
    raw_id_fields = ("case",)
    list_select_related = ("case",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[CaseRisk]:
        return CaseRisk.objects.filter(case__household__in=scope.households_visible_to(request.user))


@admin.register(AssistanceMeasure)
class AssistanceMeasureAdmin(ScopedHistoryAdmin):
    list_display = ("household", "measure_type", "detail", "year", "started_on", "source")
    list_filter = ("measure_type", "source", "year")
    search_fields = ("=household__number",)
    autocomplete_fields = ("household",)
    raw_id_fields = ("case",)
    list_select_related = ("household",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[AssistanceMeasure]:
        return scope.measures_visible_to(request.user)


class _ByHouseholdAdmin(ScopedHistoryAdmin):
    """Rows that hang off a household: scoped through the household."""

    search_fields = ("=household__number",)
    raw_id_fields = ("household",)
    list_select_related = ("household",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.filter(household__in=scope.households_visible_to(request.user))


class _ByCaseAdmin(ScopedHistoryAdmin):
    """Rows that hang off a monitoring case: scoped through the case's household."""

    search_fields = ("=case__household__number",)
    raw_id_fields = ("case",)
    list_select_related = ("case__household",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.filter(case__in=scope.cases_visible_to(request.user))


@admin.register(ScreeningWarning)
class ScreeningWarningAdmin(_ByHouseholdAdmin):
    list_display = ("household", "rule", "year", "evidence", "status", "created_at")
    list_filter = ("rule", "status", "year")


@admin.register(HouseholdEvent)
class HouseholdEventAdmin(_ByHouseholdAdmin):
    list_display = ("household", "date", "kind", "loss", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(EliminationCase)
class EliminationCaseAdmin(_ByCaseAdmin):
    list_display = ("case", "status", "opened_on", "method")
    list_filter = ("status", "method")


@admin.register(CaseAnalysis)
class CaseAnalysisAdmin(_ByCaseAdmin):
    list_display = ("case",)
