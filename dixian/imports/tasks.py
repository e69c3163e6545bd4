"""Background staging and commit (django-tasks; workers run `dixian db_worker`).
The services are synchronous; these only load the batch and call them."""

from __future__ import annotations

from django_tasks import task

from dixian.accounts.models import User
from dixian.imports.models import ImportBatch
from dixian.imports.services import CommitRefused, batch_commit, batch_stage


@task()
def stage_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    return batch_stage(batch=batch).status


@task()
def commit_batch(batch_id: int, mode: str, actor_id: int | None, create_villages: bool = False) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return batch_commit(batch=batch, mode=mode, actor=actor, create_villages=create_villages).status
    except CommitRefused as exc:
        ImportBatch.objects.filter(pk=batch_id).update(error_message=exc.message)
        return "refused"
