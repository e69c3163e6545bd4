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
    if type(current) is str and type(new) is str:  # most fields
        return current == new
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
        person_households: bool = True,
    ) -> Snapshot:
        """What the database holds for these households and persons. Files of households
        pass person_households=False: their persons' households are among `households`
        (or new), so the persons come without theirs (compare `household_id`)."""
        snap = cls(year=year)
        snap.households = {h.number: h for h in Household.objects.filter(number__in=set(household_numbers))}
        persons = Person.objects.filter(id_number__in=set(id_numbers))
        if person_households:
            persons = persons.select_related("household")
        snap.persons = {p.id_number: p for p in persons}
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
        """Whether the person differs from the row, or belongs to another household
        (the household of the row is among `households` when it exists)."""
        person = self.persons[data["person"]["id_number"]]
        household = self.households.get(household_number)
        return household is None or person.household_id != household.pk or differs(person, data["person"])

    def monitoring_changed(self, household: Household, head: dict[str, Any], members: int) -> bool:
        if "income" in head:
            income = self.incomes.get(household.pk)
            wanted = {**income_components(head), "members": members}
            if income is None or differs(income, wanted):
                return True
        case_data = head.get("case")
        if case_data:
            case = self.matching_case(household.pk, case_data)
            if case is None or differs(case, case_fields(case, case_data)):
                return True
            if [r.risk_type for r in case.risks.all()] != risk_list(head):
                return True
        if "case" in head or "measures" in head:
            held = {(m.measure_type, m.detail) for m in self.measures.get(household.pk, [])}
            if held != set(head.get("measures", {}).items()):
                return True
        return False

    def matching_case(self, household_id: int, case_data: dict[str, Any]) -> MonitoringCase | None:
        # Clues not yet decided have no identification date: they never match a file row.
        # The file gives the month (识别监测时间 YYYYMM): a case identified on another day of
        # that month is the same monitoring object (an exact day is preferred).
        wanted = case_data.get("identified_on")
        cases = [c for c in self.cases.get(household_id, []) if same_month(c.identified_on, wanted)]
        exact = [c for c in cases if c.identified_on is not None and c.identified_on.isoformat() == wanted]
        return next(iter(exact or cases), None)


MONTH_FIELDS = ("identified_on", "eliminated_on")


def same_month(day: dt.date | None, iso: str | None) -> bool:
    return day is not None and bool(iso) and day.isoformat()[:7] == str(iso)[:7]


def case_fields(case: MonitoringCase, case_data: dict[str, Any]) -> dict[str, Any]:
    """The file's case fields as they apply to `case`: the file's months (YYYYMM) keep the
    case's own day when it lies in that month, so a re-import changes nothing."""
    data = dict(case_data)
    for name in MONTH_FIELDS:
        current = getattr(case, name)
        if same_month(current, data.get(name)):
            data[name] = current.isoformat()
    return data


def risk_list(head: dict[str, Any]) -> list[str]:
    risks = head.get("risks", {})
    return [risks[k] for k in sorted(risks)]


__all__ = ["INCOME_FIELDS", "Snapshot", "case_fields", "differs", "risk_list", "same"]
