"""Admin base classes that keep the Django admin inside the user's scope.

Every admin of a model that holds people or money derives from `ScopedHistoryAdmin`: its
changelist, change form, foreign-key choices and history pages all start from a function
of `dixian.accounts.scope`, so a staff user sees in the admin exactly what the pages show.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from dixian.accounts import scope
from dixian.accounts.roles import PERM_VIEW_FULL_PII
from dixian.core.masking import mask_birth_date, mask_id_number, mask_phone

# Foreign keys to these names offer only the objects in scope.
_SCOPED_CHOICES = {
    "household": scope.households_visible_to,
    "case": scope.cases_visible_to,
}


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    def scoped_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """The rows the request's user may see; every subclass says how."""
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = self.scoped_queryset(request)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in _SCOPED_CHOICES:
            kwargs["queryset"] = _SCOPED_CHOICES[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _require_in_scope(self, request: HttpRequest, object_id: str) -> None:
        # simple-history falls back to the historical row when an object is not in
        # get_queryset(): without this, out-of-scope history would be readable.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects to the admin index for a missing object; here "missing" and
        # "outside your scope" are one answer, and that answer is 404 as everywhere else.
        raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._require_in_scope(request, object_id)
        if request.method == "POST":
            raise PermissionDenied  # reverting bypasses the services' validation
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class MaskedPiiMixin:
    """List columns that show ID numbers and phones masked, and change forms that show
    them read-only and masked to users without the full-PII permission."""

    pii_fields: tuple[str, ...] = ()

    @admin.display(description="证件号码")
    def masked_id_number(self, obj: Any) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Any) -> str:
        return mask_phone(obj.phone)

    @admin.display(description="出生年份")
    def masked_birth_date(self, obj: Any) -> str:
        return mask_birth_date(obj.birth_date)

    def _hides_pii(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and not request.user.has_perm(PERM_VIEW_FULL_PII)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return excluded + list(self.pii_fields) if self._hides_pii(request, obj) else excluded

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if self._hides_pii(request, obj):
            readonly += [f"masked_{name}" for name in self.pii_fields]
        return readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        if self._hides_pii(request, obj):
            fields = [f for f in fields if f not in self.pii_fields]
            fields += [f"masked_{name}" for name in self.pii_fields if f"masked_{name}" not in fields]
        return fields
