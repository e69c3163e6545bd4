"""Export pages: the household list as xlsx or CSV under the list's filters, streamed when
small and written by a background job when large; job progress and download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dixian.accounts.roles import PERM_VIEW_FULL_PII
from dixian.exports import selectors, services
from dixian.exports.layout import HOUSEHOLD_HEADER
from dixian.exports.models import ExportJob
from dixian.exports.writers import csv_chunks

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@never_cache
@login_required
@require_GET
def households_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _export(request, ExportJob.Format.XLSX)


@never_cache
@login_required
@require_GET
def households_csv(request: HttpRequest) -> HttpResponseBase:
    return _export(request, ExportJob.Format.CSV)


def _export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    full_pii = request.GET.get("full_pii") in ("1", "on", "true")
    if full_pii and not request.user.has_perm(PERM_VIEW_FULL_PII):
        raise PermissionDenied
    try:
        filters = selectors.filters_from_query(request.user, request.GET)
    except selectors.InvalidFilters:
        return HttpResponse("筛选条件有误，请返回农户档案页修改后重试。", status=400)
    persons = selectors.export_persons(request.user, filters)
    rows = persons.count()
    query = request.GET.copy()
    if rows > services.async_threshold():
        job = services.export_job_create(
            request=request, user=request.user, query=query, fmt=fmt, full_pii=full_pii, rows=rows
        )
        return redirect("export_job", pk=job.pk)
    query.pop("page", None)
    query.pop("full_pii", None)
    filters_text = services.describe_filters({k: query.getlist(k) for k in query})
    services.export_audit(
        request=request, user=request.user, fmt=fmt, rows=rows, full_pii=full_pii, query=filters_text
    )
    filename = f"户信息_{timezone.localtime():%Y%m%d%H%M%S}.{fmt}"
    data = selectors.export_rows(persons, full_pii=full_pii)
    if fmt == ExportJob.Format.CSV:
        chunks = csv_chunks(services.title_rows(request.user), HOUSEHOLD_HEADER, data)
        response = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    path = services.temp_export_path(fmt)
    services.WRITERS[ExportJob.Format.XLSX](path, services.title_rows(request.user), HOUSEHOLD_HEADER, data)
    # Unlinked once open: the open handle keeps the data until the response is sent.
    handle = path.open("rb")
    path.unlink()
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _job_for_owner(request: HttpRequest, pk: int) -> ExportJob:
    """The job, or 404 when it does not exist or belongs to someone else."""
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


@login_required
@require_GET
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for_owner(request, pk)
    template = "exports/_job_progress.html" if request.headers.get("HX-Request") else "exports/job.html"
    return render(request, template, {"job": job})


@never_cache
@login_required
@require_GET
def export_job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job_for_owner(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    content_type = XLSX_TYPE if job.format == ExportJob.Format.XLSX else CSV_TYPE
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type
    )
