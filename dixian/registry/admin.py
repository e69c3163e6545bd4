from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dixian.accounts import scope
from dixian.accounts.scoped_admin import MaskedPiiMixin, ScopedHistoryAdmin
from dixian.core.masking import mask_birth_date, mask_id_number
from dixian.registry import services
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person, PolicyParameter
from dixian.registry.parameters import ParameterError, parse_value


class PersonInline(admin.TabularInline):
    """Members at a glance; each is edited on its own form, where the ID is validated."""

    model = Person
    extra = 0
    fields = ("name", "relation", "masked_id_number", "sex", "masked_birth_date", "health", "labour_skill")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    @admin.display(description="证件号码")
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description="出生年份")
    def masked_birth_date(self, obj: Person) -> str:
        return mask_birth_date(obj.birth_date)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(MaskedPiiMixin, ScopedHistoryAdmin):
    pii_fields = ("phone",)
    list_display = ("number", "area", "household_type", "is_relocated", "origin_area", "masked_phone")
    list_filter = ("household_type", "is_relocated", ("area", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=number", "members__name")
    autocomplete_fields = ("area", "origin_area")
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("area", "origin_area")
    inlines = [PersonInline]

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[Household]:
        return scope.households_visible_to(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "area":  # a household can only be placed inside the user's areas
            kwargs["queryset"] = scope.areas_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> Any:
        qs, _ = super().get_search_results(request, queryset, search_term)
        return qs.distinct(), False


class PersonAdminForm(forms.ModelForm):
    """Checks the ID number (and the birth date and sex it encodes) as the services do."""

    class Meta:
        model = Person
        exclude: list[str] = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("id_number"):
            try:
                parsed = services.person_identity(
                    data["id_number"], birth_date=data.get("birth_date"), sex=data.get("sex")
                )
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                data["id_number"] = parsed.number
        return data


@admin.register(Person)
class PersonAdmin(MaskedPiiMixin, ScopedHistoryAdmin):
    form = PersonAdminForm
    pii_fields = ("id_number", "phone", "birth_date")
    list_display = ("name", "household", "relation", "masked_id_number", "sex", "health", "masked_phone")
    list_filter = ("relation", "health", "labour_skill", "dibao", "tekun")
    search_fields = ("name", "=id_last4", "=household__number")
    autocomplete_fields = ("household",)
    list_select_related = ("household",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return scope.persons_visible_to(request.user)


@admin.register(HouseholdIncome)
class HouseholdIncomeAdmin(ScopedHistoryAdmin):
    list_display = ("household", "year", "members", "per_capita_net", "compliant_out_of_pocket")
    list_filter = ("year",)
    search_fields = ("=household__number",)
    autocomplete_fields = ("household",)
    readonly_fields = ("per_capita_net",)
    list_select_related = ("household",)

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[HouseholdIncome]:
        return scope.incomes_visible_to(request.user)


@admin.register(Pairing)
class PairingAdmin(ScopedHistoryAdmin):
    list_display = ("cadre", "household", "side", "started_on", "ended_on")
    list_filter = ("side", "ended_on")
    search_fields = ("=household__number", "cadre__full_name", "cadre__username")
    autocomplete_fields = ("household",)
    raw_id_fields = ("cadre",)
    list_select_related = ("cadre", "household")

    def scoped_queryset(self, request: HttpRequest) -> QuerySet[Pairing]:
        return Pairing.objects.filter(household__in=scope.households_visible_to(request.user))


class PolicyParameterForm(forms.ModelForm):
    class Meta:
        model = PolicyParameter
        fields = ("code", "year", "value", "source")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("code") and data.get("value") is not None:
            try:
                parse_value(data["code"], data["value"])
            except ParameterError as exc:
                self.add_error("value", str(exc))
        return data


@admin.register(PolicyParameter)
class PolicyParameterAdmin(SimpleHistoryAdmin):
    form = PolicyParameterForm
    list_display = ("code", "year", "value", "source", "updated_at")
    list_filter = ("code", "year")
    search_fields = ("code", "source")
