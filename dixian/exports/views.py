"""Export pages: a list (households, persons, monitoring cases) as xlsx or CSV in a national
layout (户信息, 监测对象信息) under the list's filters, streamed when small and written by a
background job when large; job progress and download."""

from __future__ import annotations

from collections.abc import Callable

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
from dixian.exports.layout import HEADERS
from dixian.exports.models import ExportJob
from dixian.exports.writers import csv_chunks
from dixian.imports.columns import Kind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _export_view(source: str, kind: Kind, fmt: str) -> Callable[[HttpRequest], HttpResponseBase]:
    """The view exporting the list `source` in the layout `kind` as `fmt`."""

    @never_cache
    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponseBase:
        return _export(request, source=source, kind=kind, fmt=fmt)

    view.__name__ = f"{source}_{kind.value}_{fmt}"
    return view


HOUSEHOLDS, PERSONS, CASES = (ExportJob.Source.HOUSEHOLDS, ExportJob.Source.PERSONS, ExportJob.Source.CASES)
XLSX, CSV = ExportJob.Format.XLSX, ExportJob.Format.CSV
households_xlsx = _export_view(HOUSEHOLDS, Kind.HOUSEHOLD, XLSX)
households_csv = _export_view(HOUSEHOLDS, Kind.HOUSEHOLD, CSV)
households_monitoring_xlsx = _export_view(HOUSEHOLDS, Kind.MONITORING, XLSX)
households_monitoring_csv = _export_view(HOUSEHOLDS, Kind.MONITORING, CSV)
persons_xlsx = _export_view(PERSONS, Kind.HOUSEHOLD, XLSX)
persons_csv = _export_view(PERSONS, Kind.HOUSEHOLD, CSV)
cases_monitoring_xlsx = _export_view(CASES, Kind.MONITORING, XLSX)
cases_monitoring_csv = _export_view(CASES, Kind.MONITORING, CSV)


def _export(request: HttpRequest, *, source: str, kind: Kind, fmt: str) -> HttpResponseBase:
    full_pii = request.GET.get("full_pii") in ("1", "on", "true")
    if full_pii and not request.user.has_perm(PERM_VIEW_FULL_PII):
        raise PermissionDenied
    try:
        persons = selectors.export_queryset(source, kind, request.user, request.GET)
    except selectors.InvalidFilters:
        back = selectors.SOURCES[source].list_label
        return HttpResponse(f"筛选条件有误，请返回{back}页修改后重试。", status=400)
    rows = persons.count()
    query = request.GET.copy()
    if rows > services.async_threshold():
        job = services.export_job_create(
            request=request,
            user=request.user,
            query=query,
            fmt=fmt,
            full_pii=full_pii,
            rows=rows,
            source=source,
            kind=kind,
        )
        return redirect("export_job", pk=job.pk)
    services.export_audit(
        request=request,
        user=request.user,
        fmt=fmt,
        rows=rows,
        full_pii=full_pii,
        query=services.describe_filters(services.query_filters(query)),
        source=source,
        kind=kind,
    )
    filename = f"{kind.label}_{timezone.localtime():%Y%m%d%H%M%S}.{fmt}"
    year = selectors.export_year(request.user, request.GET) if kind is Kind.MONITORING else None
    titles, header = services.title_rows(request.user, kind, year), HEADERS[kind]
    data = selectors.export_rows(persons, full_pii=full_pii, kind=kind, year=year)
    if fmt == ExportJob.Format.CSV:
        response = StreamingHttpResponse(csv_chunks(titles, header, data), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    path = services.temp_export_path(fmt)
    services.WRITERS[ExportJob.Format.XLSX](path, titles, header, data, sheet_name=kind.label)
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
    source = selectors.SOURCES[job.source]
    return render(request, template, {"job": job, "source": source})


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
