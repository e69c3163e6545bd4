"""Writes of the export app: the audit record every export leaves, export jobs and the
file a job writes."""

from __future__ import annotations

import logging
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from dixian.core.models import AuditEvent
from dixian.core.services import audit_record
from dixian.exports.layout import HEADERS, TITLES
from dixian.exports.models import ExportJob
from dixian.exports.selectors import SOURCES, export_queryset, export_rows, export_year, scope_label
from dixian.exports.writers import write_csv, write_xlsx
from dixian.imports.columns import Kind

logger = logging.getLogger(__name__)

WRITERS = {ExportJob.Format.XLSX: write_xlsx, ExportJob.Format.CSV: write_csv}


def async_threshold() -> int:
    """Exports with more rows than this run in the background (setting DIXIAN_EXPORT_ASYNC_ROWS)."""
    return int(getattr(settings, "DIXIAN_EXPORT_ASYNC_ROWS", 20_000))


def title_rows(user: Any, kind: Kind = Kind.HOUSEHOLD, year: int | None = None) -> list[str]:
    now = timezone.localtime()
    line = f"导出时间：{now:%Y-%m-%d %H:%M}　导出人：{user}　导出范围：{scope_label(user)}"
    if kind is Kind.MONITORING:
        line += f"　收入年度：{year}"
    return [TITLES[kind], line]


def export_audit(
    *,
    request: HttpRequest | None,
    user: Any,
    fmt: str,
    rows: int,
    full_pii: bool,
    query: str,
    obj: Any = None,
    source: str = ExportJob.Source.HOUSEHOLDS,
    kind: Kind = Kind.HOUSEHOLD,
) -> AuditEvent:
    """Every export leaves one audit event naming its list, layout, size, filters and
    whether it held full ID numbers and phones."""
    pii = "完整证件号码和电话" if full_pii else "证件号码和电话已脱敏"
    detail = f"{SOURCES[source].label}导出 {kind.label} {fmt} {rows}行 {pii} 筛选：{query or '无'}"
    return audit_record(request=request, user=user, action=AuditEvent.Action.EXPORT, obj=obj, detail=detail)


def write_export(
    path: Path,
    *,
    user: Any,
    query: QueryDict,
    fmt: str,
    full_pii: bool,
    progress: Any = None,
    source: str = ExportJob.Source.HOUSEHOLDS,
    kind: Kind = Kind.HOUSEHOLD,
) -> int:
    """Write the export of the user's list (`source`) under `query` in the layout `kind`
    to `path`; returns the number of rows written."""
    persons = export_queryset(source, kind, user, query)
    year = export_year(user, query) if kind is Kind.MONITORING else None
    rows = export_rows(persons, full_pii=full_pii, kind=kind, year=year)
    return WRITERS[ExportJob.Format(fmt)](
        path, title_rows(user, kind, year), HEADERS[kind], rows, progress, sheet_name=kind.label
    )


def temp_export_path(fmt: str) -> Path:
    with tempfile.NamedTemporaryFile(prefix="dixian-export-", suffix=f".{fmt}", delete=False) as handle:
        return Path(handle.name)


def export_job_create(
    *,
    request: HttpRequest | None,
    user: Any,
    query: QueryDict,
    fmt: str,
    full_pii: bool,
    rows: int,
    source: str = ExportJob.Source.HOUSEHOLDS,
    kind: Kind = Kind.HOUSEHOLD,
) -> ExportJob:
    """Queue a background export; the task starts once the job row is committed."""
    from dixian.exports.tasks import run_export_job  # the task module imports this one

    filters = query_filters(query)
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user,
            source=source,
            layout=kind.value,
            filters=filters,
            format=fmt,
            full_pii=full_pii,
            progress_total=rows,
        )
        export_audit(
            request=request,
            user=user,
            fmt=fmt,
            rows=rows,
            full_pii=full_pii,
            query=describe_filters(filters),
            obj=job,
            source=source,
            kind=kind,
        )
        transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def export_job_run(job_id: int) -> None:
    """Write a queued job's file under MEDIA_ROOT/exports/, reporting progress on the row.
    Scope and filters are applied again as the job runs, for the job's owner."""
    job = ExportJob.objects.select_related("user", "user__org_unit__area").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    relative = f"exports/{uuid.uuid4().hex}.{job.format}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress_done=done)

    query = QueryDict(mutable=True)
    for key, values in job.filters.items():
        query.setlist(key, values)
    try:
        rows = write_export(
            path,
            user=job.user,
            query=query,
            fmt=job.format,
            full_pii=job.full_pii,
            progress=progress,
            source=job.source,
            kind=Kind(job.layout),
        )
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file=relative,
        row_count=rows,
        progress_done=rows,
        progress_total=rows,
        finished_at=timezone.now(),
    )


def query_filters(query: QueryDict) -> dict[str, list[str]]:
    """The list's filters of a querystring: every key but the page and the PII box."""
    return {key: query.getlist(key) for key in query if key not in ("page", "full_pii")}


def describe_filters(filters: dict[str, list[str]]) -> str:
    """The filters as the audit trail shows them: ``township=360724100000 q=张三``."""
    return " ".join(f"{key}={','.join(values)}" for key, values in filters.items() if any(values))
