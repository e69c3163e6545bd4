"""An export imports back unchanged: the columns are the importer's own."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dixian.exports.tests.helpers import body
from dixian.imports.services import batch_create, batch_stage


def test_full_value_export_imports_back_with_nothing_to_change(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.county)
    content = body(client.get(reverse("export_households_xlsx"), {"full_pii": "1"}))
    upload = SimpleUploadedFile("户信息_导出.xlsx", content)
    batch = batch_create(uploaded_file=upload, filename=upload.name, user=world.county, year=2024)
    batch = batch_stage(batch=batch)
    assert batch.count_rejected == 0, list(
        batch.rows.filter(action="reject").values_list("errors", flat=True)
    )
    assert (batch.count_create, batch.count_update, batch.count_unchanged) == (0, 0, 4)
