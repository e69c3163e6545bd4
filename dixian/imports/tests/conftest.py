from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dixian.accounts.roles import Role
from dixian.imports.columns import Kind
from dixian.imports.services import batch_commit, batch_create, batch_stage
from dixian.testing import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def villages(db):
    return {
        "A1": f.village("360724100201", "东山A1村"),
        "A2": f.village("360724100202", "东山A2村"),
        "B1": f.village("360724101201", "陡水B1村"),
    }


@pytest.fixture
def county_user(villages):
    return f.user("alice", Role.COUNTY_ADMIN, "360724000000")


@pytest.fixture
def town_a_user(villages):
    return f.user("bob", Role.TOWNSHIP, "360724100000")


def upload(
    content: bytes,
    user: Any,
    *,
    name: str = "户信息_20240630.xlsx",
    year: int = 2024,
    kind: Kind | None = None,
):
    return batch_create(
        uploaded_file=SimpleUploadedFile(name, content), filename=name, user=user, year=year, kind=kind
    )


def stage(content: bytes, user: Any, **kwargs: Any):
    batch = upload(content, user, **kwargs)
    return batch_stage(batch=batch)


def import_file(
    content: bytes, user: Any, *, mode: str = "all", create_villages: bool = False, **kwargs: Any
):
    batch = stage(content, user, **kwargs)
    return batch_commit(batch=batch, mode=mode, actor=user, create_villages=create_villages)


def errors_of(batch) -> list[tuple[int, str, str, str]]:
    return [
        (row.row_number, e["column"], e["value"], e["reason"])
        for row in batch.rows.filter(action="reject").order_by("row_number")
        for e in row.errors
    ]
