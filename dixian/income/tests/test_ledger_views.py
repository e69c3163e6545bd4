"""The ledger pages: the county overview against the deadline, a township's rows with
masked IDs and filters, the row form (errors keep the input), submit and reopen through
the pages, and 404 for everything outside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.income.tests.ledger_builders import YEAR, generated, ledger_of, measure, row_of

Status = IncomeLedgerRow.Status


@pytest.fixture
def rows(world):
    return generated(world)


def test_township_user_lands_on_its_ledger_with_masked_ids(client, world, rows):
    client.force_login(world.town_a)
    response = client.get(reverse("income_ledger_home"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "income_ledger_detail", args=[ledger_of(world, "town_a").pk]
    )
    assert world.a1.number in page and world.moved.number not in page
    head = world.a1.members.get()
    assert head.id_number not in page and head.id_number[:4] + "**********" + head.id_number[-4:] in page


def test_rows_filter_by_status_and_cause(client, world, rows):
    extra = rows[world.a1.number]
    IncomeLedgerRow.objects.filter(pk=extra.pk).update(status=Status.VERIFIED, cause="因病")
    client.force_login(world.town_b)
    url = reverse("income_ledger_detail", args=[ledger_of(world, "town_b").pk])
    assert world.moved.number in client.get(url, {"status": "pending"}).content.decode()
    assert world.moved.number not in client.get(url, {"status": "verified"}).content.decode()
    assert world.moved.number not in client.get(url, {"cause": "因病"}).content.decode()


def test_other_townships_ledger_rows_and_actions_answer_404(client, world, rows):
    ledger_a = ledger_of(world, "town_a")
    row_a = rows[world.a1.number]
    for user in (world.town_b, world.cadre, world.leader, world.nobody):
        client.force_login(user)
        assert client.get(reverse("income_ledger_detail", args=[ledger_a.pk])).status_code == 404
        assert client.get(reverse("income_ledger_row", args=[row_a.pk])).status_code == 404
        assert client.post(reverse("income_ledger_row", args=[row_a.pk]), {"version": 0}).status_code == 404
        submit = client.post(reverse("income_ledger_submit", args=[ledger_a.pk]), {"version": 0})
        assert submit.status_code == 404
        reopen = client.post(
            reverse("income_ledger_reopen", args=[ledger_a.pk]), {"version": 0, "reason": "x"}
        )
        assert reopen.status_code == 404
    assert row_of(world.a1).status == Status.PENDING


def test_a_village_user_sees_only_its_villages_rows(client, world, rows):
    from dixian.income.tests.ledger_builders import income
    from dixian.testing import factories as f

    other = f.HouseholdFactory(area=world.village_a2)
    f.PersonFactory(household=other)
    income(other, YEAR - 1, 30000), income(other, YEAR, 10000)
    from dixian.income.ledger import services

    services.ledger_generate(year=YEAR, actor=world.county)
    client.force_login(world.village_a1_user)
    page = client.get(reverse("income_ledger_home"), follow=True).content.decode()
    assert world.a1.number in page and other.number not in page
    other_row = IncomeLedgerRow.objects.get(household=other)
    assert client.get(reverse("income_ledger_row", args=[other_row.pk])).status_code == 404


def test_form_errors_keep_the_input(client, world, rows):
    row = rows[world.a1.number]
    client.force_login(world.town_a)
    response = client.post(
        reverse("income_ledger_row", args=[row.pk]),
        {
            "version": row.version,
            "status": "verified",
            "cause": "",
            "verified_income": "7777",
            "note": "已电话核实",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "核查须填写下降原因" in page and "已电话核实" in page and 'value="7777"' in page
    assert row_of(world.a1).status == Status.PENDING


def test_a_stale_form_is_told_the_row_changed(client, world, rows):
    row = rows[world.a1.number]
    IncomeLedgerRow.objects.filter(pk=row.pk).update(version=5)
    client.force_login(world.town_a)
    response = client.post(
        reverse("income_ledger_row", args=[row.pk]),
        {"version": 4, "status": "verified", "cause": "因病", "verified_income": "8000"},
    )
    assert response.status_code == 422 and "已被他人修改" in response.content.decode()


def test_verify_with_a_measure_then_submit_through_the_pages(client, world, rows):
    row = rows[world.a1.number]
    job = measure(world.a1)
    client.force_login(world.town_a)
    response = client.post(
        reverse("income_ledger_row", args=[row.pk]),
        {
            "version": row.version,
            "status": "verified",
            "cause": "务工减少",
            "verified_income": "8000",
            "measures": [job.pk],
            "responsible": world.town_a.pk,
        },
    )
    assert response.status_code == 302
    assert list(row_of(world.a1).measures.all()) == [job]
    ledger = ledger_of(world, "town_a")
    client.post(reverse("income_ledger_submit", args=[ledger.pk]), {"version": ledger.version})
    assert IncomeLedger.objects.get(pk=ledger.pk).status == IncomeLedger.Status.SUBMITTED


def test_submit_with_pending_rows_shows_the_reason(client, world, rows):
    ledger = ledger_of(world, "town_a")
    client.force_login(world.town_a)
    response = client.post(
        reverse("income_ledger_submit", args=[ledger.pk]), {"version": ledger.version}, follow=True
    )
    assert "仍有 1 户待核查" in response.content.decode()
    assert IncomeLedger.objects.get(pk=ledger.pk).status == IncomeLedger.Status.DRAFTING


def test_county_overview_shows_each_township_against_the_deadline(client, world, rows):
    on_time, pending = ledger_of(world, "town_a"), ledger_of(world, "town_b")
    IncomeLedger.objects.filter(pk=on_time.pk).update(
        status="submitted", submitted_at=timezone.make_aware(dt.datetime(YEAR, 8, 1, 10))
    )
    client.force_login(world.county)
    response = client.get(reverse("income_ledger_home"), {"year": YEAR})
    page = response.content.decode()
    states = {t.township.code: t for t in response.context["townships"]}
    assert states["360724100000"].state == "on_time" and states["360724100000"].counts["pending"] == 1
    assert states["360724101000"].state == "overdue"  # deadline 8月9日 of 2025 is past
    assert "已报送（按时）" in page and "未报送（已逾期）" in page and "text-danger" in page
    assert "2025年8月9日" in page
    assert page.count("reopen-form") == 1  # the one submitted ledger can be sent back from here
    IncomeLedger.objects.filter(pk=pending.pk).update(
        status="submitted", submitted_at=timezone.make_aware(dt.datetime(YEAR, 8, 20, 10))
    )
    assert "已报送（逾期）" in client.get(reverse("income_ledger_home")).content.decode()


def test_county_reopens_through_the_page_with_a_reason(client, world, rows):
    ledger = ledger_of(world, "town_a")
    IncomeLedger.objects.filter(pk=ledger.pk).update(status="submitted", submitted_at=timezone.now())
    client.force_login(world.county)
    url = reverse("income_ledger_reopen", args=[ledger.pk])
    refused = client.post(url, {"version": ledger.version, "reason": ""}, follow=True)
    assert "请填写退回理由" in refused.content.decode()
    client.post(url, {"version": ledger.version, "reason": "原因填写过简"})
    ledger.refresh_from_db()
    assert ledger.status == "drafting" and ledger.reopened_reason == "原因填写过简"
    client.force_login(world.town_a)
    page = client.get(reverse("income_ledger_detail", args=[ledger.pk])).content.decode()
    assert "县级退回" in page and "原因填写过简" in page


def test_department_user_sees_the_overview_but_no_reopen_button(client, world, rows):
    ledger = ledger_of(world, "town_a")
    IncomeLedger.objects.filter(pk=ledger.pk).update(status="submitted", submitted_at=timezone.now())
    client.force_login(world.dept)
    overview = client.get(reverse("income_ledger_home"))
    assert overview.status_code == 200 and "reopen-form" not in overview.content.decode()
    page = client.get(reverse("income_ledger_detail", args=[ledger.pk])).content.decode()
    assert 'id="ledger-reopen"' not in page
