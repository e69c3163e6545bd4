"""Pages of the identification and elimination workflows: the case list, the case page
with a form for each step the user may take, a new clue, the printable 公示 list and the
逐户分析 overview. Views parse and render; the rules are in `workflow`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dixian.accounts.scope import get_household_for_user
from dixian.monitoring.models import ClueSource, MonitoringCase
from dixian.monitoring.workflow import elimination, selectors, services
from dixian.monitoring.workflow import forms as wf
from dixian.monitoring.workflow import machine as m
from dixian.monitoring.workflow._base import roles_of
from dixian.monitoring.workflow.machine import Step
from dixian.registry.selectors import MissingParameter, parameter_value

Service = Callable[..., Any]
IDENTIFICATION: dict[str, tuple[type[forms.Form], Service]] = {
    Step.VISIT: (wf.VisitForm, services.visit_record),
    Step.ASSESS: (wf.AssessmentForm, services.assessment_record),
    Step.PUBLICISE: (wf.PublicityForm, services.publicity_start),
    Step.TOWNSHIP_REVIEW: (wf.ReviewForm, services.township_review),
    Step.COUNTY_DECISION: (wf.ReviewForm, services.county_decide),
}
ELIMINATION = {
    **IDENTIFICATION,
    Step.ASSESS: (wf.EliminationAssessmentForm, elimination.elimination_assessment_record),
}


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in MonitoringCase.Status.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    cases = selectors.case_list(request.user, status=status, overdue=overdue)
    ctx = {"cases": cases, "status": status, "overdue": overdue, "statuses": MonitoringCase.Status.choices}
    return render(request, "monitoring/workflow/case_list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    pk = request.GET.get("household", "")
    if not pk.isdigit():
        raise Http404
    household = get_household_for_user(request.user, int(pk))
    warning = request.GET.get("warning", "")
    warning_id = int(warning) if warning.isdigit() else None
    initial = {"source": ClueSource.SCREENING_WARNING} if warning_id else {}
    form = wf.ClueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.clue_open(
                actor=request.user,
                household_id=household.pk,
                warning_id=warning_id,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "线索已登记，请尽快入户核实")
            return redirect("workflow_case_detail", pk=case.pk)
    return render(request, "monitoring/workflow/case_new.html", {"form": form, "household": household})


def _initial(step: str, target: Any, request: HttpRequest) -> dict[str, Any]:
    today = dt.date.today()
    initial: dict[str, Any] = {"version": target.version}
    if step == Step.VISIT:
        initial["cadre_name"] = str(request.user)
    elif step == Step.PUBLICISE:
        try:
            days = int(parameter_value("publicity_days", today.year).value)
        except MissingParameter:
            days = 5
        initial.update(starts_on=today, ends_on=today + dt.timedelta(days=days))
    return initial


def _step_forms(
    request: HttpRequest, target: Any, registry: dict[str, Any], bound: tuple[str, forms.Form] | None
) -> list[tuple[str, str, forms.Form]]:
    if target is None or target.status not in m.OPEN:
        return []
    result = []
    for step in m.allowed_steps(target.status, roles_of(request.user)):
        if bound is not None and bound[0] == step:
            form = bound[1]
        else:
            form = registry[step][0](initial=_initial(step, target, request))
        result.append((step.value, step.label, form))
    return result


def _render_detail(
    request: HttpRequest,
    pk: int,
    *,
    bound: tuple[str, forms.Form] | None = None,
    bound_elimination: tuple[str, forms.Form] | None = None,
    analysis_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    view = selectors.case_view(request.user, pk)
    case, roles = view.case, roles_of(request.user)
    may_open = bool(roles & m.STEPS[Step.OPEN].roles)
    long_open = selectors.is_long_open(case, dt.date.today())
    ident_forms = _step_forms(request, case, IDENTIFICATION, bound)
    elim_forms = _step_forms(request, view.open_elimination, ELIMINATION, bound_elimination)
    shown = {id(form) for _, _, form in ident_forms + elim_forms}
    # A refused form whose step is no longer offered (the case moved on): show its reasons on top.
    orphan_errors = [
        e for b in (bound, bound_elimination) if b and id(b[1]) not in shown for e in b[1].non_field_errors()
    ]
    ctx = {
        "view": view,
        "case": case,
        "household": case.household,
        "ident_forms": ident_forms,
        "elim_forms": elim_forms,
        "orphan_errors": orphan_errors,
        "can_open_elimination": may_open
        and case.status == m.APPROVED
        and not case.eliminated
        and view.open_elimination is None,
        "analysis_form": (analysis_form or wf.AnalysisForm()) if long_open and may_open else None,
    }
    return render(request, "monitoring/workflow/case_detail.html", ctx, status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


def _run_step(
    request: HttpRequest, pk: int, step: str, registry: dict[str, Any], **extra: Any
) -> HttpResponse:
    if step not in registry:
        raise Http404
    form_class, service = registry[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, case_id=pk, request=request, **extra, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"「{Step(step).label}」已办理")
            return redirect("workflow_case_detail", pk=pk)
    if extra:
        return _render_detail(request, pk, bound_elimination=(step, form), status=422)
    return _render_detail(request, pk, bound=(step, form), status=422)


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    return _run_step(request, pk, step, IDENTIFICATION)


@login_required
@require_POST
def elimination_step(request: HttpRequest, pk: int, elimination_pk: int, step: str) -> HttpResponse:
    return _run_step(request, pk, step, ELIMINATION, elimination_id=elimination_pk)


@login_required
@require_POST
def elimination_open(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        elimination.elimination_open(actor=request.user, case_id=pk, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已启动风险消除，请入户核实")
    return redirect("workflow_case_detail", pk=pk)


@login_required
@require_POST
def analysis_new(request: HttpRequest, pk: int) -> HttpResponse:
    form = wf.AnalysisForm(request.POST)
    if form.is_valid():
        try:
            elimination.analysis_record(actor=request.user, case_id=pk, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "逐户分析已保存")
            return redirect("workflow_case_detail", pk=pk)
    return _render_detail(request, pk, analysis_form=form, status=422)


@login_required
@require_GET
def analysis_overview(request: HttpRequest) -> HttpResponse:
    ctx = {
        "townships": selectors.long_open_by_township(request.user),
        "cases": selectors.long_open_cases(request.user)[:500],
    }
    return render(request, "monitoring/workflow/analysis_overview.html", ctx)


@login_required
@require_GET
def publicity_print(request: HttpRequest, pk: int) -> HttpResponse:
    publicity, rows = selectors.publicity_list(request.user, pk)
    ctx = {"publicity": publicity, "rows": rows, "village": publicity.case.household.area}
    return render(request, "monitoring/workflow/publicity_print.html", ctx)
