"""Registry pages: the household list and page, the audited reveal of personal data, and
the policy parameters. Each view loads through the scoping layer or a selector built on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dixian.accounts import scope
from dixian.accounts.roles import PERM_CHANGE_PARAMETERS, PERM_VIEW_FULL_PII
from dixian.core import generations
from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.monitoring.measures.access import may_write
from dixian.monitoring.measures.selectors import household_panel
from dixian.registry import selectors, services
from dixian.registry.forms import HouseholdEditForm, HouseholdFilterForm, ParameterForm
from dixian.registry.history import household_history
from dixian.registry.models import Household
from dixian.registry.parameters import SPECS

PER_PAGE = 50
REVEAL_ACTIONS = {"id_number": AuditEvent.Action.REVEAL_ID, "phone": AuditEvent.Action.REVEAL_PHONE}


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    form = HouseholdFilterForm(request.GET, user=request.user)
    if form.is_valid():
        households = selectors.household_list(request.user, form.to_filters())
    else:
        households = Household.objects.none()
    paginator = CountedPaginator(households, PER_PAGE, count_key=_count_key(request))
    page = paginator.get_page(request.GET.get("page"))
    ctx = {"form": form, "page": page}
    # The rendered list is cached per user and query until the data changes: a county's staff
    # reopen the same filtered lists all day, and rendering is most of the page's time.
    body = generations.cached(
        generations.MONITORING,
        f"household_list:{scope.scope_key(request.user)}:{request.GET.urlencode()}",
        lambda: render_to_string("registry/_household_list_body.html", ctx, request),
    )
    return render(request, "registry/household_list.html", {**ctx, "body": body})


def _count_key(request: HttpRequest) -> str:
    """The list's count depends on the user's scope and the filters, not on page or order."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("order", None)
    return f"household_count:{scope.scope_key(request.user)}:{query.urlencode()}"


class CountedPaginator(Paginator):
    """A paginator whose count is cached until the data changes (`dixian.core.generations`):
    counting tens of thousands of filtered households is most of the list's SQL."""

    def __init__(self, object_list: Any, per_page: int, *, count_key: str) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return generations.cached(generations.MONITORING, self.count_key, lambda: Paginator.count.func(self))  # type: ignore[attr-defined]


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.household_profile(request.user, pk)
    ctx = {
        "profile": profile,
        "household": profile.household,
        "history": household_history(profile.household),
        "can_reveal": request.user.has_perm(PERM_VIEW_FULL_PII),
        "measures_panel": household_panel(request.user, profile),
    }
    return render(request, "registry/household_detail.html", ctx)


@never_cache
@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """The full ID number or phone of one person, recorded in the audit trail."""
    if field not in REVEAL_ACTIONS:
        raise Http404
    if not request.user.has_perm(PERM_VIEW_FULL_PII):
        raise PermissionDenied
    person = scope.get_person_for_user(request.user, pk)
    label = "证件号码" if field == "id_number" else "联系电话"
    audit_record(
        request=request,
        user=request.user,
        action=REVEAL_ACTIONS[field],
        obj=person,
        detail=f"{person.name} {label}",
    )
    ctx = {"person": person, "field": field, "value": getattr(person, field)}
    return render(request, "registry/_revealed.html", ctx)


@login_required
@permission_required("registry.view_policyparameter", raise_exception=True)
@require_http_methods(["GET", "POST"])
def parameters(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm(PERM_CHANGE_PARAMETERS)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ParameterForm(request.POST)
        if form.is_valid():
            try:
                services.parameter_set(**form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                d = form.cleaned_data
                messages.success(request, f"已保存 {d['year']} 年「{SPECS[d['code']].label}」：{d['value']}")
                return redirect("parameters")
    elif can_edit:
        form = ParameterForm(initial=_edit_initial(request))
    years, rows = selectors.parameter_table()
    return render(request, "registry/parameters.html", {"form": form, "years": years, "rows": rows})


def _edit_initial(request: HttpRequest) -> dict[str, object]:
    """Prefill the form from `?code=…&year=…` (the edit links of the table)."""
    code, year = request.GET.get("code", ""), request.GET.get("year", "")
    if code in SPECS and year.isdigit() and len(year) == 4:
        return selectors.parameter_initial(code, int(year))
    return {}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改住房、饮水和联系电话: scoped (404 outside scope), for the roles that write
    (403 for read-only roles), refused with the latest values when someone saved first."""
    household = scope.get_household_for_user(request.user, pk)
    if not may_write(request.user):
        raise PermissionDenied
    conflict = False
    if request.method == "POST":
        form = HouseholdEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {"dangerous_housing": data["dangerous_housing"], "safe_water": data["safe_water"]}
            if data["phone"]:
                fields["phone"] = data["phone"]
            try:
                services.household_update(
                    household=household,
                    actor=request.user,
                    expected_version=data["version"],
                    request=request,
                    **fields,
                )
            except services.EditConflict as exc:
                conflict = True
                household.refresh_from_db()
                resubmit = request.POST.copy()
                resubmit["version"] = str(household.version)  # saving again now overrides knowingly
                form = HouseholdEditForm(resubmit)
                form.is_valid()
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已保存")
                return redirect("household_detail", pk=household.pk)
    else:
        form = HouseholdEditForm.for_household(household)
    ctx = {"household": household, "form": form, "conflict": conflict}
    return render(request, "registry/household_edit.html", ctx, status=409 if conflict else 200)
