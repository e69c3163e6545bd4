"""Issue 3's "Done when" for both national layouts: a demo county exported in full,
its registry emptied, the file imported back with `dixian.imports` gives the same
households, persons and monitoring state; importing the same file again changes nothing."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dixian.accounts.models import User
from dixian.exports.selectors import held_in
from dixian.exports.tests.helpers import body, xlsx_rows
from dixian.imports.models import ImportBatch
from dixian.imports.services import batch_commit, batch_create, batch_stage
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MonitoringCase
from dixian.registry.models import Household, HouseholdIncome, Person

HOUSEHOLDS = 200
YEAR = 2025


@pytest.fixture
def county(db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", "--households", str(HOUSEHOLDS), "--seed", "7", stdout=io.StringIO())
    admin = User.objects.get(username="county")
    client.force_login(admin)
    return admin


def persons() -> set[tuple]:
    """The canonical tuple of every person: household fields, then the person's own."""
    return set(
        Person.objects.values_list(
            "household__number",
            "household__area_id",
            "household__household_type",
            "household__poverty_exit_year",
            "household__phone",
            "household__is_relocated",
            "household__dangerous_housing",
            "household__safe_water",
            "id_type",
            "id_number",
            "disability_suffix",
            "name",
            "relation",
            "sex",
            "birth_date",
            "ethnicity",
            "education",
            "school_stage",
            "health",
            "disability_grade",
            "labour_skill",
            "medical_insurance",
            "critical_illness_insurance",
            "dibao",
            "tekun",
        )
    )


def monitoring_state(year: int) -> dict[str, tuple]:
    """Per 户编号: the monitoring case (open approved, else latest approved) as the national
    file holds it (months, not days), its risks, the income of `year` and the measure types
    held that year."""
    cases: dict[str, tuple] = {}
    ordered = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED).order_by(
        "household_id", "eliminated", "-identified_on", "-pk"
    )
    for case in ordered.select_related("household").prefetch_related("risks"):
        cases.setdefault(
            case.household.number,
            (
                case.category,
                case.identified_on.strftime("%Y%m"),
                case.eliminated,
                case.elimination_method,
                case.eliminated_on.strftime("%Y%m") if case.eliminated_on else "",
                tuple(r.risk_type for r in case.risks.all()),
            ),
        )
    incomes = {
        number: parts
        for number, *parts in HouseholdIncome.objects.filter(year=year).values_list(
            "household__number",
            "wage",
            "business",
            "property_income",
            "transfer",
            "business_expense",
            "compliant_out_of_pocket",
            "per_capita_net",
        )
    }
    measures: dict[str, set[str]] = defaultdict(set)
    held = AssistanceMeasure.objects.filter(held_in(year))
    for number, kind in held.values_list("household__number", "measure_type"):
        measures[number].add(kind)
    return {
        number: (cases.get(number), tuple(incomes.get(number, ())), frozenset(measures[number]))
        for number in Household.objects.values_list("number", flat=True)
    }


def history_count() -> int:
    return sum(
        m.history.count()
        for m in (Household, Person, HouseholdIncome, MonitoringCase, CaseRisk, AssistanceMeasure)
    )


def import_file(content: bytes, user: User, name: str) -> ImportBatch:
    upload = SimpleUploadedFile(name, content)
    batch = batch_stage(batch=batch_create(uploaded_file=upload, filename=name, user=user, year=YEAR))
    assert batch.status == ImportBatch.Status.STAGED, batch.error_message
    rejected = list(batch.rows.filter(action="reject").values_list("row_number", "errors")[:5])
    assert batch.count_rejected == 0, rejected
    return batch_commit(batch=batch, mode="all", actor=user)


def empty_registry() -> None:
    Household.objects.all().delete()
    assert not Person.objects.exists() and not MonitoringCase.objects.exists()


def test_monitoring_objects_export_imports_into_an_empty_registry_as_the_same_state(client, county):
    monitored = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED)
    assert monitored.filter(eliminated=False).exists() and monitored.filter(eliminated=True).exists()
    response = client.get(
        reverse("export_households_monitoring_xlsx"), {"full_pii": "1", "income_year": YEAR}
    )
    content = body(response)
    assert xlsx_rows(content)[2][:3] == ["县(市、区、旗)", "乡(镇)", "行政村"]
    people, state = persons(), monitoring_state(YEAR)
    assert sum(1 for case, _, _ in state.values() if case) == monitored.values("household").distinct().count()
    assert any(measures for _, _, measures in state.values())

    empty_registry()
    first = import_file(content, county, "监测对象信息.xlsx")
    assert first.count_create == len(people)
    assert persons() == people
    assert monitoring_state(YEAR) == state

    history = history_count()
    again = import_file(content, county, "监测对象信息.xlsx")
    assert (again.count_create, again.count_update, again.count_unchanged) == (0, 0, len(people))
    assert persons() == people and monitoring_state(YEAR) == state
    assert history_count() == history

    # The registry exported again is the same file, cell for cell (titles aside).
    later = body(client.get(reverse("export_households_monitoring_xlsx"), {"full_pii": "1"}))
    assert xlsx_rows(later)[2:] == xlsx_rows(content)[2:]


def test_household_export_imports_into_an_empty_registry_as_the_same_persons(client, county):
    content = body(client.get(reverse("export_households_csv"), {"full_pii": "1"}))
    people = persons()
    empty_registry()
    first = import_file(content, county, "户信息.csv")
    assert first.count_create == len(people) and persons() == people
    again = import_file(content, county, "户信息.csv")
    assert (again.count_create, again.count_update, again.count_unchanged) == (0, 0, len(people))
    assert persons() == people


def test_case_list_export_holds_the_households_of_the_listed_cases(client, county):
    approved = MonitoringCase.objects.filter(status=MonitoringCase.Status.APPROVED)
    response = client.get(reverse("export_cases_monitoring_csv"), {"status": "approved", "full_pii": "1"})
    content = body(response)
    rows = [r for r in xlsx_or_csv(content)[3:] if any(r)]
    numbers = {r[3] for r in rows}
    assert numbers == set(approved.values_list("household__number", flat=True))
    assert len(rows) == Person.objects.filter(household__number__in=numbers).count()


def xlsx_or_csv(content: bytes) -> list[list[str]]:
    from dixian.exports.tests.helpers import csv_rows

    return csv_rows(content)


def test_reimport_into_the_same_registry_keeps_a_case_decided_mid_month(client, world, settings, tmp_path):
    """The file holds months (识别监测时间, 消除监测时间 YYYYMM); a case the workflow decided on
    the 17th is the same monitoring object, not a second case, and keeps its days."""
    settings.MEDIA_ROOT = tmp_path
    case = MonitoringCase.objects.create(
        household=world.a1,
        status=MonitoringCase.Status.APPROVED,
        category="脱贫不稳定户",
        identified_on="2024-03-17",
        eliminated=True,
        elimination_method="帮扶消除",
        eliminated_on="2025-01-09",
    )
    case.risks.create(position=1, risk_type="因病")
    HouseholdIncome.objects.filter(household=world.a1).update(members=1)
    client.force_login(world.county)
    content = body(
        client.get(reverse("export_households_monitoring_xlsx"), {"q": world.a1.number, "full_pii": "1"})
    )
    history = history_count()
    upload = SimpleUploadedFile("监测对象信息.xlsx", content)
    batch = batch_stage(
        batch=batch_create(uploaded_file=upload, filename=upload.name, user=world.county, year=2024)
    )
    assert (batch.count_create, batch.count_update, batch.count_unchanged) == (0, 0, 1)
    batch_commit(batch=batch, mode="all", actor=world.county)
    case.refresh_from_db()
    assert MonitoringCase.objects.count() == 1
    assert (str(case.identified_on), str(case.eliminated_on)) == ("2024-03-17", "2025-01-09")
    assert history_count() == history
