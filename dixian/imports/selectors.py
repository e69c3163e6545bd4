"""Reads for the import pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dixian.accounts.roles import Role
from dixian.accounts.scope import area_prefix_of
from dixian.imports.commit import missing_villages
from dixian.imports.models import ImportBatch, StagedRow

PREVIEW_REJECTED = 200


@dataclass
class BatchPreview:
    counts: dict[str, int]  # by StagedRow.Action value
    rejected: QuerySet[StagedRow]  # the first PREVIEW_REJECTED rejected rows, by row number
    rejected_total: int
    missing_villages: list[tuple[str, str]]  # (township code, village name)
    extra_columns: list[str]


def batch_preview(batch: ImportBatch) -> BatchPreview:
    return BatchPreview(
        counts={
            StagedRow.Action.CREATE: batch.count_create,
            StagedRow.Action.UPDATE: batch.count_update,
            StagedRow.Action.UNCHANGED: batch.count_unchanged,
            StagedRow.Action.REJECT: batch.count_rejected,
        },
        rejected=batch.rows.filter(action=StagedRow.Action.REJECT).order_by("row_number")[:PREVIEW_REJECTED],
        rejected_total=batch.count_rejected,
        missing_villages=missing_villages(batch),
        extra_columns=list(batch.extra_columns or []),
    )


def batches_visible_to(user: Any) -> QuerySet[ImportBatch]:
    """Batches a user may see: all for a superuser; for a county admin every batch uploaded
    within their area; for anyone else only the batches they uploaded themselves (a file
    may hold rows of other townships, rejected but visible in its preview)."""
    if getattr(user, "is_superuser", False):
        return ImportBatch.objects.all()
    prefix = area_prefix_of(user)
    if prefix is None:
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(scope_prefix__startswith=prefix)
    return batches if Role.COUNTY_ADMIN in user.roles else batches.filter(created_by=user)
