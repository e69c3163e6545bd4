import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dixian.accounts.roles import Role
from dixian.imports import columns as C
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.tests.helpers import family, person, table
from dixian.registry.models import Household, Person
from dixian.testing import factories as f

UPLOAD = reverse("import_upload")
LIST = reverse("import_batch_list")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def town_b_user(villages):
    return f.user("carol", Role.TOWNSHIP, "360724101000")


def household_file(rows=None) -> SimpleUploadedFile:
    return SimpleUploadedFile("户信息_20240630.xlsx", table(Kind.HOUSEHOLD, rows or family()))


def upload(client, django_capture_on_commit_callbacks, file=None, **data) -> ImportBatch:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": file or household_file(), "year": 2024, **data})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == reverse("import_batch", args=[batch.pk])
    return batch


def commit(client, django_capture_on_commit_callbacks, batch, mode, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_commit", args=[batch.pk]), {"mode": mode, **data})
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def page(client, batch, **params) -> str:
    response = client.get(reverse("import_batch", args=[batch.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_upload_preview_commit_happy_path(client, town_a_user, django_capture_on_commit_callbacks):
    client.force_login(town_a_user)
    assert 'id="upload-form"' in client.get(UPLOAD).content.decode()
    batch = upload(client, django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.STAGED and batch.kind == Kind.HOUSEHOLD
    html = page(client, batch)
    assert 'id="count-create">3<' in html and 'id="count-reject">0<' in html
    assert 'id="commit-all"' in html and 'id="rejected-table"' not in html
    batch = commit(client, django_capture_on_commit_callbacks, batch, "all")
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Household.objects.get(number="360724100201000001").members.count() == 3
    html = page(client, batch)
    assert 'id="batch-done"' in html and 'id="commit-form"' not in html


def test_staging_in_progress_is_polled_and_refreshes_when_done(client, town_a_user, villages):
    client.force_login(town_a_user)
    batch = ImportBatch.objects.create(
        original_filename="x.xlsx",
        year=2024,
        created_by=town_a_user,
        scope_prefix="360724100",
        status=ImportBatch.Status.STAGING,
        progress_done=40,
        progress_total=100,
    )
    url = reverse("import_batch", args=[batch.pk])
    assert 'hx-trigger="every 2s"' in page(client, batch)
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert 'value="40" max="100"' in partial.content.decode() and "<html" not in partial.content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.STAGED)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_rejected_rows_are_listed_and_downloadable(client, town_a_user, django_capture_on_commit_callbacks):
    rows = family()
    rows[2]["健康状况"] = "很好"
    client.force_login(town_a_user)
    batch = upload(client, django_capture_on_commit_callbacks, household_file(rows))
    html = page(client, batch)
    assert 'id="rejected-table"' in html and "很好" in html and "健康状况" in html
    response = client.get(reverse("import_rejected", args=[batch.pk]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert any("很好" in [str(c) for c in r] for r in sheet[1:])


def test_all_or_nothing_with_errors_imports_nothing_and_valid_rows_imports_the_rest(
    client, town_a_user, django_capture_on_commit_callbacks
):
    rows = family() + [person("360724100201000002", "赵五", id_number="3607241", members=1)]
    client.force_login(town_a_user)
    batch = upload(client, django_capture_on_commit_callbacks, household_file(rows))
    assert batch.count_rejected == 1
    batch = commit(client, django_capture_on_commit_callbacks, batch, "all")
    assert batch.status == ImportBatch.Status.STAGED and "未导入任何数据" in batch.error_message
    assert not Household.objects.exists()
    assert 'id="batch-error"' in page(client, batch)
    batch = commit(client, django_capture_on_commit_callbacks, batch, "valid")
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Person.objects.count() == 3


def test_missing_village_is_created_when_asked(client, county_user, django_capture_on_commit_callbacks):
    client.force_login(county_user)
    batch = upload(client, django_capture_on_commit_callbacks, household_file(family(village="新村")))
    html = page(client, batch)
    assert 'id="missing-villages"' in html and "新村" in html
    batch = commit(client, django_capture_on_commit_callbacks, batch, "all", create_villages="1")
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Household.objects.get().area.name == "新村"


def test_extra_columns_are_shown_as_ignored(client, town_a_user, django_capture_on_commit_callbacks):
    header = [*C.column_names(Kind.HOUSEHOLD), "备注栏"]
    content = table(Kind.HOUSEHOLD, family(), header=header)
    client.force_login(town_a_user)
    batch = upload(client, django_capture_on_commit_callbacks, SimpleUploadedFile("a.xlsx", content))
    html = page(client, batch)
    assert 'id="extra-columns"' in html and "备注栏" in html


def test_unreadable_file_keeps_the_input_and_says_why(client, town_a_user):
    client.force_login(town_a_user)
    bad = SimpleUploadedFile("户信息.xlsx", b"%PDF-1.4 not a workbook")
    response = client.post(UPLOAD, {"file": bad, "year": 2023, "kind": "household"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "PDF" in html and 'value="2023"' in html and '<option value="household" selected>' in html


def test_form_errors_keep_the_input(client, town_a_user):
    client.force_login(town_a_user)
    response = client.post(UPLOAD, {"year": 1999})
    html = response.content.decode()
    assert response.status_code == 200 and 'value="1999"' in html and "field-error" in html
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "role,code",
    [(Role.VILLAGE, "360724100201"), (Role.CADRE, "360724000000"), (Role.COUNTY_DEPARTMENT, "360724000000")],
)
def test_only_county_and_township_users_may_import(client, villages, role, code):
    client.force_login(f.user("dave", role, code))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": household_file(), "year": 2024}).status_code == 403
    assert client.get(LIST).status_code == 403
    assert not ImportBatch.objects.exists()


def test_another_townships_batch_is_not_found(
    client, town_a_user, town_b_user, county_user, django_capture_on_commit_callbacks
):
    client.force_login(town_a_user)
    batch = upload(client, django_capture_on_commit_callbacks)
    client.force_login(town_b_user)
    for name in ("import_batch", "import_rejected"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert client.post(reverse("import_commit", args=[batch.pk]), {"mode": "all"}).status_code == 404
    assert batch.original_filename not in client.get(LIST).content.decode()
    client.force_login(county_user)  # the county admin sees every batch of the county
    assert client.get(reverse("import_batch", args=[batch.pk])).status_code == 200
    assert reverse("import_batch", args=[batch.pk]) in client.get(LIST).content.decode()


def test_township_colleague_does_not_see_my_batch(client, town_a_user, django_capture_on_commit_callbacks):
    colleague = f.user("erin", Role.TOWNSHIP, "360724100000")
    client.force_login(town_a_user)
    batch = upload(client, django_capture_on_commit_callbacks)
    client.force_login(colleague)
    assert client.get(reverse("import_batch", args=[batch.pk])).status_code == 404


def test_navigation_offers_import_to_importers_only(client, town_a_user, villages):
    client.force_login(town_a_user)
    assert f'href="{UPLOAD}"' in client.get(reverse("household_list")).content.decode()
    client.force_login(f.user("frank", Role.VILLAGE, "360724100201"))
    assert f'href="{UPLOAD}"' not in client.get(reverse("household_list")).content.decode()
