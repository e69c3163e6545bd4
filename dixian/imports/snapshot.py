"""What the database holds for a chunk of staged households or persons, and how a
staged household differs from it. Staging uses it to preview each row's action;
commit uses the same comparison to write only what changed (so re-importing a file
writes nothing and adds no history rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.imports.validation import INCOME_FIELDS, income_components
from dixian.monitoring.models import AssistanceMeasure, MonitoringCase
from dixian.registry.models import Household, HouseholdIncome, Person


def same(current: Any, new: Any) -> bool:
    if isinstance(current, dt.date):
        current = current.isoformat()
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        return current is not None and new is not None and Decimal(current) == Decimal(new)
    if current is None and new == "":
        return True
    return current == new


def differs(instance: Any, fields: dict[str, Any]) -> bool:
    return any(not same(getattr(instance, name), value) for name, value in fields.items())


@dataclass
class Snapshot:
    year: int
    households: dict[str, Household] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    incomes: dict[int, HouseholdIncome] = field(default_factory=dict)
    cases: dict[int, list[MonitoringCase]] = field(default_factory=dict)
    measures: dict[int, list[AssistanceMeasure]] = field(default_factory=dict)
    employment: dict[int, EmploymentRecord] = field(default_factory=dict)
    work_plans: dict[int, WorkPlan] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        *,
        year: int,
        household_numbers: Iterable[str],
        id_numbers: Iterable[str],
        monitoring: bool = False,
    ) -> Snapshot:
        snap = cls(year=year)
        snap.households = {h.number: h for h in Household.objects.filter(number__in=set(household_numbers))}
        snap.persons = {
            p.id_number: p
            for p in Person.objects.filter(id_number__in=set(id_numbers)).select_related("household")
        }
        if monitoring:
            ids = [h.pk for h in snap.households.values()]
            for income in HouseholdIncome.objects.filter(household_id__in=ids, year=year):
                snap.incomes[income.household_id] = income
            for case in MonitoringCase.objects.filter(household_id__in=ids).prefetch_related("risks"):
                snap.cases.setdefault(case.household_id, []).append(case)
            measures = AssistanceMeasure.objects.filter(
                household_id__in=ids, year=year, source=AssistanceMeasure.Source.IMPORT
            )
            for measure in measures:
                snap.measures.setdefault(measure.household_id, []).append(measure)
        return snap

    def load_work(self) -> None:
        person_ids = [p.pk for p in self.persons.values()]
        self.employment = {e.person_id: e for e in EmploymentRecord.objects.filter(person_id__in=person_ids)}
        self.work_plans = {w.person_id: w for w in WorkPlan.objects.filter(person_id__in=person_ids)}

    # --- comparisons ------------------------------------------------------------

    def household_changed(self, head: dict[str, Any], village_code: str | None, members: int) -> bool:
        household = self.households.get(head["household"]["number"])
        if household is None:
            return True
        if differs(household, head["household"]) or household.area_id != village_code:
            return True
        return self.monitoring_changed(household, head, members)

    def person_changed(self, data: dict[str, Any], household_number: str) -> bool:
        person = self.persons[data["person"]["id_number"]]
        fields = {k: v for k, v in data["person"].items()}
        return person.household.number != household_number or differs(person, fields)

    def monitoring_changed(self, household: Household, head: dict[str, Any], members: int) -> bool:
        if "income" in head:
            income = self.incomes.get(household.pk)
            wanted = {**income_components(head), "members": members}
            if income is None or differs(income, wanted):
                return True
        case_data = head.get("case")
        if case_data:
            case = self.matching_case(household.pk, case_data)
            if case is None or differs(case, case_data):
                return True
            if [r.risk_type for r in case.risks.all()] != risk_list(head):
                return True
        if "case" in head or "measures" in head:
            held = {(m.measure_type, m.detail) for m in self.measures.get(household.pk, [])}
            if held != set(head.get("measures", {}).items()):
                return True
        return False

    def matching_case(self, household_id: int, case_data: dict[str, Any]) -> MonitoringCase | None:
        for case in self.cases.get(household_id, []):
            # Clues not yet decided have no identification date: they never match a file row.
            if case.identified_on is not None and case.identified_on.isoformat() == case_data.get(
                "identified_on"
            ):
                return case
        return None


def risk_list(head: dict[str, Any]) -> list[str]:
    risks = head.get("risks", {})
    return [risks[k] for k in sorted(risks)]


__all__ = ["INCOME_FIELDS", "Snapshot", "differs", "risk_list", "same"]
