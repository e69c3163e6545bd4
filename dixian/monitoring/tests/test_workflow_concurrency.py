"""Twenty county users approve the same case at once: exactly one succeeds, the others
are told the case has moved on. Row locks make this meaningful on PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from dixian.monitoring.models import MonitoringCase
from dixian.monitoring.tests import workflow_helpers as h
from dixian.monitoring.workflow import services as s
from dixian.monitoring.workflow.machine import MOVED_ON, WorkflowError

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 20


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent approval needs PostgreSQL row locks; SQLite serialises whole-database writes")


def test_twenty_concurrent_approvals_exactly_one_wins(world):
    case = h.open_clue(world)
    h.visit(world, case)
    h.assess(world, case)
    h.publicise(world, case)
    h.township(world, case)
    version = h.fresh(case).version
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def approve() -> None:
        try:
            barrier.wait()
            s.county_decide(
                actor=world.county, case_id=case.pk, version=version, approve=True, today=h.AFTER_PUBLICITY
            )
            outcome = "ok"
        except WorkflowError as exc:
            outcome = exc.messages[0]
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=approve) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(["ok"] + [MOVED_ON] * (THREADS - 1)), results
    final = MonitoringCase.objects.get(pk=case.pk)
    assert final.status == "approved" and final.version == version + 1
    assert final.risks.count() == 2
    assert final.history.filter(status="approved").count() == 1
