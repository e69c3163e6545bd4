"""The signed-in user's home page: who they are and what lies in their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dixian.accounts.selectors import cadre_worklist, home_summary


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    ctx = {"summary": home_summary(request.user), "worklist": cadre_worklist(request.user)}
    return render(request, "accounts/home.html", ctx)
