from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dixian.areas.models import Area, OrgUnit, ResettlementSite


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("name", "area__name")
    autocomplete_fields = ("area",)
    list_select_related = ("area",)


@admin.register(ResettlementSite)
class ResettlementSiteAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("name", "area__name")
    autocomplete_fields = ("area",)
    list_select_related = ("area",)
