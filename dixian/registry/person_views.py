"""The person list (人员名单): one row per person in the user's scope, filtered, paged,
IDs and phones masked, each row linking to its household; exports under the same filters."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dixian.core.masking import age_on
from dixian.registry.models import Person
from dixian.registry.person_forms import PersonFilterForm
from dixian.registry.person_selectors import person_list as select_persons

PER_PAGE = 50


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET, user=request.user)
    persons = select_persons(request.user, form.to_filters()) if form.is_valid() else Person.objects.none()
    page = Paginator(persons, PER_PAGE).get_page(request.GET.get("page"))
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or dt.date.today()
    for person in page:  # ages on the reference day (a birth date is never shown)
        person.age_years = age_on(person.birth_date, as_of)  # type: ignore[attr-defined]
    return render(request, "registry/person_list.html", {"form": form, "page": page, "as_of": as_of})
