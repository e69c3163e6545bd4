"""Import pages: upload a national-system file, watch it being checked, preview what a
commit would do, commit, and list one's batches. Staging and commit run as background
tasks; the pages poll the batch's progress with htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dixian.accounts.roles import Role
from dixian.imports import selectors, services, tasks
from dixian.imports.forms import CommitForm, UploadForm
from dixian.imports.models import ImportBatch, StagedRow

IMPORT_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP})
REJECTED_PER_PAGE = 50
IN_PROGRESS = (ImportBatch.Status.UPLOADED, ImportBatch.Status.STAGING, ImportBatch.Status.COMMITTING)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(user: Any) -> None:
    """County admins and township staff import; everyone else gets 403."""
    if not (user.is_superuser or user.roles & IMPORT_ROLES):
        raise PermissionDenied


def _batches_for(user: Any) -> QuerySet[ImportBatch]:
    _require_importer(user)
    return selectors.batches_visible_to(user)


def _batch_for(user: Any, pk: int) -> ImportBatch:
    """The batch, or 404 when it does not exist or is not the user's to see."""
    return get_object_or_404(_batches_for(user).select_related("created_by"), pk=pk)


def _commit_pending(batch: ImportBatch) -> bool:
    """A commit was asked for and the worker has not taken it yet (the page sets
    commit_mode before queueing; a refusal leaves an error message)."""
    return batch.status == ImportBatch.Status.STAGED and bool(batch.commit_mode) and not batch.error_message


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            batch = services.batch_create(
                uploaded_file=d["file"],
                filename=d["file"].name,
                user=request.user,
                year=d["year"],
                kind=d["kind"] or None,
            )
        except services.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            transaction.on_commit(lambda: tasks.stage_batch.enqueue(batch.pk))
            return redirect("import_batch", pk=batch.pk)
    recent = _batches_for(request.user).select_related("created_by")[:5]
    return render(request, "imports/upload.html", {"form": form, "recent": recent})


@login_required
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = _batches_for(request.user).select_related("created_by")
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"page": page})


@never_cache
@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request.user, pk)
    pending = batch.status in IN_PROGRESS or _commit_pending(batch)
    if request.headers.get("HX-Request"):
        if pending:
            return render(request, "imports/_progress.html", {"batch": batch, "pending": pending})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # finished: reload to show the preview or result
        return response
    ctx: dict[str, Any] = {"batch": batch, "pending": pending}
    if not pending and batch.status in (ImportBatch.Status.STAGED, ImportBatch.Status.COMMITTED):
        ctx["preview"] = selectors.batch_preview(batch)
        rejected = batch.rows.filter(action=StagedRow.Action.REJECT).order_by("row_number")
        ctx["rejected_page"] = Paginator(rejected, REJECTED_PER_PAGE).get_page(request.GET.get("page"))
        ctx["commit_form"] = CommitForm()
    return render(request, "imports/batch.html", ctx)


@login_required
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request.user, pk)
    form = CommitForm(request.POST)
    if batch.status != ImportBatch.Status.STAGED or _commit_pending(batch):
        messages.error(request, "该批次当前不能导入（尚未校验完成或已在导入）")
    elif not form.is_valid():
        messages.error(request, "请选择导入方式")
    else:
        mode, create = form.cleaned_data["mode"], form.cleaned_data["create_villages"]
        ImportBatch.objects.filter(pk=batch.pk).update(commit_mode=mode, error_message="")
        transaction.on_commit(
            lambda: tasks.commit_batch.enqueue(batch.pk, mode, request.user.pk, create_villages=create)
        )
    return redirect("import_batch", pk=batch.pk)


@never_cache
@login_required
@require_GET
def rejected_rows(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for(request.user, pk)
    response = HttpResponse(services.rejected_rows_workbook(batch), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"错误行_{batch.pk}.xlsx")
    return response
