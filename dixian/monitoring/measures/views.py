"""Pages of the measures part: add, edit and end a measure, record an event, and the
sub-type suggestions the measure form swaps in. Views parse and render; rules live in
`services`. Outside scope is 404 (before anything else), a read-only role 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from dixian.accounts.scope import get_household_for_user
from dixian.monitoring.measures import selectors, services
from dixian.monitoring.measures.access import check_writer
from dixian.monitoring.measures.expected import DETAIL_SUGGESTIONS
from dixian.monitoring.measures.forms import EndForm, EventForm, MeasureForm, measure_initial
from dixian.registry.models import Household


def _back(household: Household, anchor: str) -> HttpResponse:
    return redirect(reverse("household_detail", args=[household.pk]) + f"#{anchor}")


def _submit(form: forms.Form, service: Any, **kwargs: Any) -> Any:
    """Run the service on a valid form; its refusals land on the form's fields."""
    if not form.is_valid():
        return None
    try:
        return service(**kwargs, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _render(request: HttpRequest, template: str, ctx: dict[str, Any]) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render(request, template, ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, household_pk)
    check_writer(request.user)
    initial = {"case": selectors.linkable_cases(household).filter(status=selectors.APPROVED).first()}
    form = MeasureForm(request.POST or None, household=household, initial=initial)
    if request.method == "POST":
        measure = _submit(
            form, services.measure_add, actor=request.user, household_id=household.pk, request=request
        )
        if measure is not None:
            messages.success(request, f"已登记帮扶措施：{measure}")
            return _back(household, "measures")
    ctx = {"form": form, "household": household, "measure": None, "suggestions": _suggestions(form)}
    return _render(request, "monitoring/measures/measure_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.get_measure_for_user(request.user, pk)
    check_writer(request.user)
    household = measure.household
    form = MeasureForm(
        request.POST or None, household=household, measure=measure, initial=measure_initial(measure)
    )
    if request.method == "POST":
        saved = _submit(form, services.measure_update, actor=request.user, measure_id=pk, request=request)
        if saved is not None:
            messages.success(request, f"已保存帮扶措施：{saved}")
            return _back(household, "measures")
    ctx = {"form": form, "household": household, "measure": measure, "suggestions": _suggestions(form)}
    return _render(request, "monitoring/measures/measure_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def measure_end(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.get_measure_for_user(request.user, pk)
    check_writer(request.user)
    form = EndForm(request.POST or None)
    if request.method == "POST":
        ended = _submit(form, services.measure_end, actor=request.user, measure_id=pk, request=request)
        if ended is not None:
            messages.success(request, f"帮扶措施「{ended}」已于 {ended.ended_on:%Y-%m-%d} 结束")
            return _back(measure.household, "measures")
    ctx = {"form": form, "household": measure.household, "measure": measure}
    return _render(request, "monitoring/measures/end_form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = get_household_for_user(request.user, household_pk)
    check_writer(request.user)
    form = EventForm(request.POST or None)
    if request.method == "POST":
        event = _submit(
            form, services.event_record, actor=request.user, household_id=household.pk, request=request
        )
        if event is not None:
            messages.success(request, f"已登记突发事件：{event}")
            return _back(household, "events")
    return _render(request, "monitoring/measures/event_form.html", {"form": form, "household": household})


def _suggestions(form: MeasureForm) -> tuple[str, ...]:
    return DETAIL_SUGGESTIONS.get(form.chosen_type(), ())


@login_required
@require_GET
def detail_options(request: HttpRequest) -> HttpResponse:
    """The <datalist> of 具体措施 suggestions for the chosen type (no household data)."""
    suggestions = DETAIL_SUGGESTIONS.get(request.GET.get("measure_type", ""), ())
    return render(request, "monitoring/measures/_detail_options.html", {"suggestions": suggestions})
