"""Background tasks of the export app (django-tasks; a worker runs them)."""

from __future__ import annotations

from django_tasks import task

from dixian.exports import services


@task()
def run_export_job(job_id: int) -> None:
    services.export_job_run(job_id)
