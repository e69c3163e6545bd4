"""An import that changes a household counts as an edit: a form opened before it is stale."""

from __future__ import annotations

from django.urls import reverse

from dixian.imports.columns import Kind
from dixian.imports.tests.conftest import import_file
from dixian.imports.tests.helpers import family, table
from dixian.registry.models import Household


def test_an_edit_form_opened_before_an_import_gets_a_conflict(client, county_user):
    import_file(table(Kind.HOUSEHOLD, family()), county_user)
    household = Household.objects.get(number="360724100201000001")
    read_version = household.version
    client.force_login(county_user)
    assert client.get(reverse("household_edit", args=[household.pk])).status_code == 200

    rows = family()
    for row in rows:
        row["是否危房户"] = "是"
    import_file(table(Kind.HOUSEHOLD, rows), county_user)
    household.refresh_from_db()
    assert household.dangerous_housing is True and household.version == read_version + 1

    response = client.post(
        reverse("household_edit", args=[household.pk]),
        {"dangerous_housing": "0", "safe_water": "1", "phone": "", "version": read_version},
    )
    assert response.status_code == 409 and "该户信息已被他人修改" in response.content.decode()
    household.refresh_from_db()
    assert household.dangerous_housing is True  # the import's change stands
