"""Ten users save the same ledger row from the same version at once: exactly one edit is
kept, the others are told the row changed. Meaningful on PostgreSQL only (row locks)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dixian.income.ledger import services
from dixian.income.ledger.services import ROW_MOVED_ON
from dixian.income.models import IncomeLedgerRow
from dixian.income.tests.ledger_builders import generated, row_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 10


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent edits need PostgreSQL row locks; SQLite serialises whole-database writes")


def test_ten_concurrent_edits_of_one_row_exactly_one_wins(world):
    row = generated(world)[world.a1.number]
    version = row_of(world.a1).version
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def edit(n: int) -> None:
        try:
            barrier.wait()
            services.row_update(
                actor=world.town_a,
                row_id=row.pk,
                version=version,
                status=IncomeLedgerRow.Status.VERIFIED,
                cause="因病",
                verified_income=Decimal(7000 + n),
            )
            outcome = "ok"
        except ValidationError as exc:
            outcome = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(["ok"] + [ROW_MOVED_ON] * (THREADS - 1)), results
    final = row_of(world.a1)
    assert final.version == version + 1 and final.status == "verified"
    assert final.history.filter(status="verified").count() == 1
