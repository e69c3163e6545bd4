from pathlib import Path

import pytest
from django.urls import reverse

from dixian.core.models import AuditEvent
from dixian.exports.models import ExportJob
from dixian.exports.tests.helpers import body, csv_rows, data_rows, numbers, xlsx_rows

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def large(settings, tmp_path):
    """Every export counts as large; tasks run in-process; files land in a temp MEDIA_ROOT."""
    settings.DIXIAN_EXPORT_ASYNC_ROWS = 0
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def start(client, django_capture_on_commit_callbacks, url, params=None) -> ExportJob:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, params or {})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    return job


def test_large_export_runs_as_a_job_and_owner_downloads_the_file(
    client, world, large, django_capture_on_commit_callbacks
):
    client.force_login(world.town_a)
    job = start(client, django_capture_on_commit_callbacks, reverse("export_households_xlsx"))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 3 and job.percent == 100
    assert (large / job.file.name).is_file() and job.file.name.startswith("exports/")
    page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert 'id="job-download"' in page and "hx-trigger" not in page
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    rows = xlsx_rows(body(response))
    assert numbers(rows) == {world.a1.number, world.a2.number, world.moved.number}
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.EXPORT and event.object_id == str(job.pk)


def test_job_reapplies_filters_and_masking(client, world, large, django_capture_on_commit_callbacks):
    client.force_login(world.county)
    job = start(
        client, django_capture_on_commit_callbacks, reverse("export_households_csv"), {"q": world.b1.number}
    )
    job.refresh_from_db()
    assert job.filters == {"q": [world.b1.number]} and not job.full_pii
    rows = data_rows(csv_rows(Path(large / job.file.name).read_bytes()))
    assert numbers([[], [], [], *rows]) == {world.b1.number}
    assert world.b1.members.get().id_number not in {cell for row in rows for cell in row}


def test_another_users_job_is_not_found(client, world, large, django_capture_on_commit_callbacks):
    client.force_login(world.town_a)
    job = start(client, django_capture_on_commit_callbacks, reverse("export_households_csv"))
    client.force_login(world.town_b)
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_unfinished_job_polls_and_has_no_download(client, world):
    job = ExportJob.objects.create(user=world.county, format="xlsx", progress_total=10, progress_done=4)
    client.force_login(world.county)
    partial = client.get(reverse("export_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and "40%" in partial and "<html" not in partial
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404


def test_a_job_that_fails_says_so_and_offers_no_file(
    client, world, large, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("dixian.exports.services.write_export", broken)
    client.force_login(world.county)
    job = start(client, django_capture_on_commit_callbacks, reverse("export_households_xlsx"))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "disk full" in job.error
    assert "导出失败" in client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404
    assert not list((large / "exports").glob("*"))
