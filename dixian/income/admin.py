"""The ledgers in the admin: read-only (every change goes through the ledger services,
which check role and state and audit), and scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from dixian.accounts.scoped_admin import ScopedHistoryAdmin
from dixian.income.ledger import selectors
from dixian.income.models import IncomeLedger, IncomeLedgerRow


class _ReadOnly(ScopedHistoryAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IncomeLedger)
class IncomeLedgerAdmin(_ReadOnly):
    list_display = ("township", "year", "status", "submitted_at", "submitted_by", "reopened_reason")
    list_filter = ("year", "status")
    list_select_related = ("township", "submitted_by")

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[IncomeLedger]:
        return selectors.ledgers_visible_to(request.user)


@admin.register(IncomeLedgerRow)
class IncomeLedgerRowAdmin(_ReadOnly):
    list_display = ("household", "ledger", "previous_income", "income", "verified_income", "cause", "status")
    list_filter = ("ledger__year", "status", "cause", "data_error")
    search_fields = ("=household__number",)
    list_select_related = ("household", "ledger", "ledger__township")

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[IncomeLedgerRow]:
        return selectors.rows_visible_to(request.user)
