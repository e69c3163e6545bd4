"""Warning pages, export and the run button, scoped: a township sees only its warnings.

World (dixian/conftest.py): a1, moved (from A1, lives in B1) and b1 fall below the line;
a2 does not. town_a sees a1, a2 and moved; town_b sees b1 and moved."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from dixian.core.models import AuditEvent
from dixian.monitoring.screening_services import run_screening
from dixian.testing import factories as f

R05 = "R05-BELOW-LINE-UNMONITORED"
SUMMARY, LIST = "/monitoring/warnings/", f"/monitoring/warnings/{R05}/"


@pytest.fixture
def screened(world):
    for h in (world.a1, world.b1, world.moved):
        h.incomes.update(wage="10000")  # 2 members: 5,000 per person
    run_screening(as_of=dt.date(2025, 6, 30))
    return world


def _work(result_id: str) -> None:
    """Run the queued task as `dixian db_worker` would (the command itself closes the
    database connection, which a test transaction on PostgreSQL does not survive)."""
    db_result = DBTaskResult.objects.get(id=result_id)
    db_result.claim("test-worker")
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run_task(db_result)


def login(client, user):
    return f.sign_in(client, user.username)


def test_pages_need_login(client, screened):
    assert client.get(SUMMARY).status_code == 302
    assert client.get(LIST).status_code == 302


def test_summary_shows_the_users_townships_only(client, screened):
    body = login(client, screened.town_a).get(SUMMARY).content.decode()
    assert "东山镇" in body and "陡水镇" not in body
    assert f'href="{LIST}?township=360724100000">1</a>' in body  # a1
    assert f'href="{LIST}">2</a>' in body  # total: a1 and moved (origin duties)
    assert "运行筛查" not in body


def test_list_shows_only_households_in_scope(client, screened):
    body = login(client, screened.town_b).get(LIST).content.decode()
    assert screened.b1.number in body and screened.moved.number in body
    assert screened.a1.number not in body
    assert "监测范围 8,500" in body
    body = login(client, screened.town_a).get(LIST, {"township": "360724100000"}).content.decode()
    assert screened.a1.number in body and screened.moved.number not in body


def test_unknown_rule_is_404(client, screened):
    assert login(client, screened.county).get("/monitoring/warnings/R99/").status_code == 404


def test_export_has_title_header_and_scoped_rows_and_is_audited(client, screened):
    response = login(client, screened.town_b).get(f"{LIST}export/")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0].startswith(f"预警线索 {R05}")
    assert rows[1][:3] == ["户编号", "乡镇", "村（社区）"]
    assert sorted(r[0] for r in rows[2:]) == sorted([screened.b1.number, screened.moved.number])
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == screened.town_b and "2 条" in event.detail


def test_only_county_admin_may_run_screening(client, screened):
    assert login(client, screened.town_a).post("/monitoring/warnings/run/").status_code == 403


def test_run_button_enqueues_and_the_page_polls_until_done(client, screened):
    c = login(client, screened.county)
    assert "运行筛查" in c.get(SUMMARY).content.decode()
    body = c.post("/monitoring/warnings/run/", {"as_of": "2025-06-30"}).content.decode()
    assert 'hx-trigger="every 2s"' in body and "排队中" in body
    status_url = body.split('hx-get="')[1].split('"')[0]
    _work(status_url.rstrip("/").rsplit("/", 1)[1])
    done = c.get(status_url).content.decode()
    assert "筛查完成" in done and "every 2s" not in done
    assert "低于监测范围未纳入 <strong>3</strong>" in done
    assert c.get("/monitoring/warnings/run/not-a-task/").status_code == 404
