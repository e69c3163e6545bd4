"""The ledger services: generation membership and idempotence, each row transition
allowed and refused, data corrections, submit and reopen, and audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dixian.core.models import AuditEvent
from dixian.income.ledger import services
from dixian.income.ledger.services import Correction
from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.income.tests.ledger_builders import (
    YEAR,
    declined_world,
    generated,
    income,
    ledger_of,
    measure,
    monitored,
    row_of,
)
from dixian.registry.models import HouseholdIncome
from dixian.testing import factories as f

Status = IncomeLedgerRow.Status


def verify(world, row, user=None, **changes):
    kwargs = {"status": Status.VERIFIED, "cause": "务工减少", "verified_income": Decimal("8000")}
    kwargs.update(changes)
    fresh = IncomeLedgerRow.objects.get(pk=row.pk)
    return services.row_update(actor=user or world.town_a, row_id=row.pk, version=fresh.version, **kwargs)


# ---------------------------------------------------------------- generation


def test_generation_takes_exactly_the_declined_households_of_p_y(world):
    declined_world(world)
    # Outside P(Y) or not declined:
    ordinary = f.HouseholdFactory(area=world.village_a1, household_type="一般农户")
    income(ordinary, YEAR - 1, 20000), income(ordinary, YEAR, 10000)
    eliminated = f.HouseholdFactory(area=world.village_a1, household_type="一般农户")
    monitored(eliminated, eliminated=True)
    income(eliminated, YEAR - 1, 20000), income(eliminated, YEAR, 10000)
    no_previous = f.HouseholdFactory(area=world.village_a1)
    income(no_previous, YEAR, 1000)
    no_current = f.HouseholdFactory(area=world.village_a1)
    income(no_current, YEAR - 1, 9000)
    flat = f.HouseholdFactory(area=world.village_a2)
    income(flat, YEAR - 1, 9000), income(flat, YEAR, 9000)
    # Inside: a monitored 一般农户 that fell, and a one-cent fall.
    watched = f.HouseholdFactory(area=world.village_a2, household_type="一般农户")
    monitored(watched)
    income(watched, YEAR - 1, 9000), income(watched, YEAR, 8000)
    cent = f.HouseholdFactory(area=world.village_b1)
    income(cent, YEAR - 1, "9000.02"), income(cent, YEAR, "9000.00")

    result = services.ledger_generate(year=YEAR, actor=world.county)

    rows = {r.household.number: r for r in IncomeLedgerRow.objects.select_related("household", "ledger")}
    assert set(rows) == {world.a1.number, world.moved.number, watched.number, cent.number}
    assert result.rows_added == 4 and result.ledgers_created == 2
    assert rows[world.a1.number].ledger.township_id == "360724100000"
    # A relocated household belongs to the township it lives in (迁入地), not its origin.
    assert rows[world.moved.number].ledger.township_id == "360724101000"
    a1 = rows[world.a1.number]
    assert (a1.previous_income, a1.income, a1.status) == (
        Decimal("10000.00"),
        Decimal("8000.00"),
        Status.PENDING,
    )
    assert rows[cent.number].income == Decimal("4500.00") and rows[cent.number].previous_income == Decimal(
        "4500.01"
    )


def test_regeneration_adds_new_rows_and_keeps_verified_ones(world):
    rows = generated(world)
    verify(world, rows[world.a1.number])
    late = f.HouseholdFactory(area=world.village_a2)
    income(late, YEAR - 1, 20000), income(late, YEAR, 10000)

    again = services.ledger_generate(year=YEAR, actor=world.county)
    third = services.ledger_generate(year=YEAR, actor=world.county)

    assert (again.rows_added, again.ledgers_created) == (1, 0)
    assert (third.rows_added, third.ledgers_created) == (0, 0)
    assert IncomeLedgerRow.objects.count() == 3
    assert row_of(world.a1).status == Status.VERIFIED
    assert IncomeLedger.objects.count() == 2


def test_a_submitted_ledger_gets_no_new_rows_until_reopened(world):
    rows = generated(world)
    ledger = ledger_of(world, "town_a")
    verify(world, rows[world.a1.number])
    services.ledger_submit(actor=world.town_a, ledger_id=ledger.pk, version=ledger.version)
    late = f.HouseholdFactory(area=world.village_a2)
    income(late, YEAR - 1, 20000), income(late, YEAR, 10000)

    result = services.ledger_generate(year=YEAR, actor=world.county)

    assert (result.rows_added, result.skipped_submitted) == (0, 1)
    assert not IncomeLedgerRow.objects.filter(household=late).exists()


def test_only_the_county_admin_generates(world):
    declined_world(world)
    with pytest.raises(ValidationError, match="只有县级管理员"):
        services.ledger_generate(year=YEAR, actor=world.town_a)
    assert not IncomeLedger.objects.exists()


def test_generation_is_audited_per_ledger(world):
    generated(world)
    details = list(
        AuditEvent.objects.filter(object_type="income.IncomeLedger").values_list("detail", flat=True)
    )
    assert any("东山镇" in d and "编制中" in d for d in details)
    assert any("新增 1 户" in d for d in details)


# ---------------------------------------------------------------- row transitions


def test_verify_then_rectify_with_a_measure_of_the_household(world):
    rows = generated(world)
    row = rows[world.a1.number]
    job = measure(world.a1)
    verify(world, row, responsible_id=world.town_a.pk, note="外出务工时间减少")
    services.row_update(
        actor=world.village_a1_user,
        row_id=row.pk,
        version=row_of(world.a1).version,
        status=Status.RECTIFIED,
        cause="务工减少",
        verified_income=Decimal("8000"),
        measure_ids=[job.pk],
    )
    row = row_of(world.a1)
    assert row.status == Status.RECTIFIED and list(row.measures.all()) == [job]
    statuses = [h.status for h in row.history.order_by("history_date", "history_id")]
    changes = [s for i, s in enumerate(statuses) if i == 0 or s != statuses[i - 1]]
    assert changes[-2:] == [Status.VERIFIED, Status.RECTIFIED]
    events = AuditEvent.objects.filter(object_type="income.IncomeLedgerRow", object_id=str(row.pk))
    assert {e.user for e in events} == {world.town_a, world.village_a1_user}
    assert events.filter(detail__contains="待核查→已核查").exists()
    assert events.filter(detail__contains="已核查→已整改").exists()


@pytest.mark.parametrize(
    ("start", "target", "reason"),
    [
        (Status.PENDING, Status.RECTIFIED, "须先核查"),
        (Status.VERIFIED, Status.PENDING, "不能改回"),
        (Status.RECTIFIED, Status.VERIFIED, "不能改回"),
    ],
)
def test_invalid_transitions_are_refused_with_a_reason(world, start, target, reason):
    rows = generated(world)
    row = rows[world.a1.number]
    job = measure(world.a1)
    IncomeLedgerRow.objects.filter(pk=row.pk).update(status=start)
    with pytest.raises(ValidationError, match=reason):
        verify(world, row, status=target, measure_ids=[job.pk])
    assert row_of(world.a1).status == start


def test_verifying_needs_a_cause_and_rectifying_a_measure(world):
    row = generated(world)[world.a1.number]
    with pytest.raises(ValidationError, match="下降原因"):
        verify(world, row, cause="")
    verify(world, row)
    with pytest.raises(ValidationError, match="至少一项增收措施"):
        verify(world, row, status=Status.RECTIFIED)


def test_only_the_households_own_measures_can_be_linked(world):
    row = generated(world)[world.a1.number]
    other = measure(world.a2)
    with pytest.raises(ValidationError, match="该户自己的帮扶措施"):
        verify(world, row, measure_ids=[other.pk])
    assert not row_of(world.a1).measures.exists()


def test_responsible_person_must_work_in_the_township(world):
    row = generated(world)[world.a1.number]
    with pytest.raises(ValidationError, match="责任人"):
        verify(world, row, responsible_id=world.town_b.pk)


def test_county_users_and_cadres_cannot_edit_rows(world):
    row = generated(world)[world.moved.number]
    with pytest.raises(ValidationError, match="只有乡镇、村"):
        verify(world, row, user=world.county)
    with pytest.raises(Http404):
        verify(world, row, user=world.cadre)


def test_a_township_user_cannot_touch_another_townships_row(world):
    rows = generated(world)
    with pytest.raises(Http404):
        verify(world, rows[world.moved.number], user=world.town_a)  # lives in B: town B's ledger
    with pytest.raises(Http404):
        verify(world, rows[world.a1.number], user=world.town_b)
    assert IncomeLedgerRow.objects.filter(status=Status.PENDING).count() == 2


def test_of_two_edits_from_the_same_version_the_second_is_told_the_row_changed(world):
    row = generated(world)[world.a1.number]
    read = row_of(world.a1).version
    services.row_update(
        actor=world.town_a,
        row_id=row.pk,
        version=read,
        status=Status.VERIFIED,
        cause="因病",
        verified_income=1,
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.row_update(
            actor=world.village_a1_user,
            row_id=row.pk,
            version=read,
            status=Status.VERIFIED,
            cause="因灾",
            verified_income=2,
        )
    assert row_of(world.a1).cause == "因病"


# ---------------------------------------------------------------- data correction


def test_a_data_correction_updates_the_income_record_with_history_and_audit(world):
    row = generated(world)[world.a1.number]
    correction = Correction(
        year=YEAR,
        reason="务工收入漏录一个季度",
        figures={"members": 2, "wage": Decimal("21000"), "business": Decimal("0")},
    )
    verify(world, row, cause="数据录入错误", data_error=True, correction=correction, verified_income=None)

    record = HouseholdIncome.objects.get(household=world.a1, year=YEAR)
    assert record.wage == Decimal("21000") and record.per_capita_net == Decimal("10500.00")
    latest = record.history.latest()
    assert latest.history_user == world.town_a and latest.prev_record.wage == Decimal("16000")
    row = row_of(world.a1)
    assert row.data_error and row.verified_income == Decimal("10500.00")
    assert "工资性收入 16000.00→21000" in row.correction and "人均纯收入 8000.00→10500.00" in row.correction
    # The row keeps the figures it was generated from.
    assert (row.previous_income, row.income) == (Decimal("10000.00"), Decimal("8000.00"))
    audit = AuditEvent.objects.get(object_type="registry.HouseholdIncome", object_id=str(record.pk))
    assert (
        audit.user == world.town_a
        and "务工收入漏录一个季度" in audit.detail
        and "16000.00→21000" in audit.detail
    )


def test_a_correction_of_the_previous_year_leaves_the_verified_income_to_the_user(world):
    row = generated(world)[world.a1.number]
    correction = Correction(
        year=YEAR - 1, reason="上年误录", figures={"members": 2, "wage": Decimal("15000")}
    )
    verify(
        world,
        row,
        cause="数据录入错误",
        data_error=True,
        correction=correction,
        verified_income=Decimal("8000"),
    )
    assert HouseholdIncome.objects.get(household=world.a1, year=YEAR - 1).per_capita_net == Decimal("7500.00")
    assert row_of(world.a1).verified_income == Decimal("8000.00")


def test_data_error_cause_without_a_correction_is_refused(world):
    row = generated(world)[world.a1.number]
    history_before = HouseholdIncome.objects.get(household=world.a1, year=YEAR).history.count()
    with pytest.raises(ValidationError, match="勾选"):
        verify(world, row, cause="数据录入错误")
    with pytest.raises(ValidationError, match="更正后的收入"):
        verify(world, row, data_error=True)
    same = Correction(year=YEAR, reason="核对无误", figures={"wage": Decimal("16000")})
    with pytest.raises(ValidationError, match="与原记录相同"):
        verify(world, row, data_error=True, correction=same)
    assert HouseholdIncome.objects.get(household=world.a1, year=YEAR).history.count() == history_before


def test_saving_a_corrected_row_again_does_not_correct_twice(world):
    row = generated(world)[world.a1.number]
    job = measure(world.a1)
    correction = Correction(year=YEAR, reason="漏录", figures={"members": 2, "wage": Decimal("21000")})
    verify(world, row, cause="数据录入错误", data_error=True, correction=correction)
    verify(
        world,
        row,
        status=Status.RECTIFIED,
        cause="数据录入错误",
        data_error=True,
        correction=correction,
        measure_ids=[job.pk],
    )
    assert row_of(world.a1).status == Status.RECTIFIED
    assert AuditEvent.objects.filter(object_type="registry.HouseholdIncome").count() == 1


# ---------------------------------------------------------------- submit and reopen


def test_submit_is_refused_while_rows_are_pending(world):
    generated(world)
    ledger = ledger_of(world, "town_a")
    with pytest.raises(ValidationError, match="仍有 1 户待核查"):
        services.ledger_submit(actor=world.town_a, ledger_id=ledger.pk, version=ledger.version)
    assert IncomeLedger.objects.get(pk=ledger.pk).status == IncomeLedger.Status.DRAFTING


def test_submit_then_rows_are_frozen_and_reopen_needs_county_and_reason(world):
    rows = generated(world)
    ledger = ledger_of(world, "town_a")
    verify(world, rows[world.a1.number])
    with pytest.raises(ValidationError, match="只有本乡镇用户"):
        services.ledger_submit(actor=world.village_a1_user, ledger_id=ledger.pk, version=ledger.version)
    with pytest.raises(Http404):
        services.ledger_submit(actor=world.town_b, ledger_id=ledger.pk, version=ledger.version)
    ledger = services.ledger_submit(actor=world.town_a, ledger_id=ledger.pk, version=ledger.version)
    assert ledger.status == IncomeLedger.Status.SUBMITTED and ledger.submitted_by == world.town_a
    with pytest.raises(ValidationError, match="无需重复报送"):
        services.ledger_submit(actor=world.town_a, ledger_id=ledger.pk, version=ledger.version)
    with pytest.raises(ValidationError, match="台账已报送"):
        verify(world, rows[world.a1.number], status=Status.VERIFIED, cause="因病")

    with pytest.raises(ValidationError, match="只有县级管理员"):
        services.ledger_reopen(actor=world.dept, ledger_id=ledger.pk, version=ledger.version, reason="补充")
    with pytest.raises(Http404):
        services.ledger_reopen(actor=world.town_b, ledger_id=ledger.pk, version=ledger.version, reason="补充")
    with pytest.raises(ValidationError, match="请填写退回理由"):
        services.ledger_reopen(actor=world.county, ledger_id=ledger.pk, version=ledger.version, reason="  ")
    ledger = services.ledger_reopen(
        actor=world.county, ledger_id=ledger.pk, version=ledger.version, reason="措施填写不完整"
    )
    assert ledger.status == IncomeLedger.Status.DRAFTING and ledger.reopened_reason == "措施填写不完整"
    with pytest.raises(ValidationError, match="尚未报送"):
        services.ledger_reopen(actor=world.county, ledger_id=ledger.pk, version=ledger.version, reason="再次")
    # The history keeps both states, with who did each.
    history = list(IncomeLedger.history.filter(id=ledger.pk).order_by("history_date"))
    assert [(h.status, h.history_user) for h in history[-2:]] == [
        ("submitted", world.town_a),
        ("drafting", world.county),
    ]
    assert AuditEvent.objects.filter(
        detail__contains="已报送→编制中；退回理由：措施填写不完整", user=world.county
    ).exists()


def test_a_stale_ledger_version_is_refused(world):
    rows = generated(world)
    ledger = ledger_of(world, "town_a")
    verify(world, rows[world.a1.number])
    with pytest.raises(ValidationError, match="已被他人处理"):
        services.ledger_submit(actor=world.town_a, ledger_id=ledger.pk, version=ledger.version + 1)
