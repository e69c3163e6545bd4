"""Reads of the income-decline ledger. Every function that returns ledgers, rows or
households starts from the user's scope: ledgers by the user's area (a county user sees
every township's, a township or village user their own township's), rows additionally
by `dixian.accounts.scope.household_q`, so a village user sees the rows of their village.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.shortcuts import get_object_or_404

from dixian.accounts.models import User
from dixian.accounts.roles import Role
from dixian.accounts.scope import area_prefix_of, household_q
from dixian.areas.codes import Level, prefix, township_code
from dixian.areas.models import Area
from dixian.income.growth import is_county_wide
from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.monitoring.models import AssistanceMeasure
from dixian.monitoring.rules.base import income_of, monitored_cases
from dixian.registry.choices import HouseholdType, Relation
from dixian.registry.models import Household, HouseholdIncome, Person
from dixian.registry.selectors import MissingParameter, parameter_value

_NOTHING = Q(pk__in=[])


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


# ---------------------------------------------------------------- scope


def ledger_q(user: Any, via: str = "") -> Q:
    """The ledgers `user` may see: those of townships in the user's area (for a village
    user: the village's township). Assistance cadres and unit leaders see none: the
    ledger is the townships' work."""
    if not _active(user):
        return _NOTHING
    if user.is_superuser:
        return Q()
    code_prefix = area_prefix_of(user)
    if code_prefix is None:
        return _NOTHING
    if len(code_prefix) <= 9:
        return Q(**{f"{via}township__code__startswith": code_prefix})
    return Q(**{f"{via}township_id": township_code(code_prefix)})


def ledgers_visible_to(user: Any) -> QuerySet[IncomeLedger]:
    return IncomeLedger.objects.filter(ledger_q(user))


def rows_visible_to(user: Any) -> QuerySet[IncomeLedgerRow]:
    return IncomeLedgerRow.objects.filter(
        ledger_q(user, via="ledger__"), household_q(user, via="household__")
    )


def get_ledger_for_user(user: Any, pk: int) -> IncomeLedger:
    """The ledger, or 404 when missing or outside the user's scope (one answer)."""
    return get_object_or_404(ledgers_visible_to(user).select_related("township"), pk=pk)


def get_row_for_user(user: Any, pk: int) -> IncomeLedgerRow:
    return get_object_or_404(
        rows_visible_to(user).select_related("ledger", "ledger__township", "household", "household__area"),
        pk=pk,
    )


def sees_county(user: Any) -> bool:
    """County-level users (county admin, county departments) see every township's ledger."""
    return _active(user) and is_county_wide(user)


def roles_of(user: Any) -> frozenset[Role]:
    return frozenset(Role) if getattr(user, "is_superuser", False) else user.roles


# ---------------------------------------------------------------- population P(Y)


def township_of_area() -> Concat:
    """The township code of a household's area, in SQL: a relocated household belongs to
    the township it lives in (迁入地), like every destination duty."""
    return Concat(Substr("area_id", 1, 9), Value("000"), output_field=CharField())


def population(year: int) -> QuerySet[Household]:
    """P(Y): households that are 脱贫户 or monitored (approved, not eliminated — the
    definition the screening rules use), with an income record for Y."""
    recorded = HouseholdIncome.objects.filter(household_id=OuterRef("pk"), year=year)
    return Household.objects.filter(
        Q(household_type=HouseholdType.ALLEVIATED) | Exists(monitored_cases()), Exists(recorded)
    )


def declined(year: int) -> QuerySet[Household]:
    """Members of P(Y) whose per-capita net income of Y is below that of Y−1, annotated
    with both figures and their township."""
    return (
        population(year)
        .annotate(income=income_of(year), previous=income_of(year - 1), township=township_of_area())
        .filter(previous__isnull=False, income__lt=F("previous"))
    )


# ---------------------------------------------------------------- deadline


@dataclass(frozen=True)
class Deadline:
    day: dt.date | None
    problem: str = ""  # why there is no day (parameter missing)


def deadline_of(year: int) -> Deadline:
    """The submission deadline of the ledger for income year Y: `income_ledger_deadline`
    in force in Y, on that day of Y."""
    try:
        month, day = parameter_value("income_ledger_deadline", year).value
    except MissingParameter as exc:
        return Deadline(None, str(exc))
    return Deadline(dt.date(year, month, day))


def submission_state(
    ledger: IncomeLedger | None, deadline: dt.date | None, today: dt.date
) -> tuple[str, str]:
    """(code, label) of a ledger against the deadline; the code drives the colour."""
    if ledger is None:
        return "missing", "未生成台账"
    if ledger.status == IncomeLedger.Status.SUBMITTED and ledger.submitted_at is not None:
        if deadline is None or ledger.submitted_at.date() <= deadline:
            return "on_time", "已报送（按时）"
        return "late", "已报送（逾期）"
    if deadline is not None and today > deadline:
        return "overdue", "未报送（已逾期）"
    return "pending", "未报送"


# ---------------------------------------------------------------- county overview


@dataclass
class TownshipLedger:
    township: Area
    ledger: IncomeLedger | None
    state: str
    state_label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def ledger_years(user: Any) -> list[int]:
    return sorted(set(ledgers_visible_to(user).values_list("year", flat=True)), reverse=True)


def county_overview(
    user: Any, year: int, today: dt.date | None = None
) -> tuple[Deadline, list[TownshipLedger]]:
    """Every township in the user's area with its ledger of Y (or none), its state against
    the deadline, and its row counts by status."""
    today = today or dt.date.today()
    deadline = deadline_of(year)
    townships = Area.objects.filter(level=Level.TOWNSHIP)
    if not user.is_superuser:
        code_prefix = area_prefix_of(user)
        townships = townships.filter(code__startswith=code_prefix) if code_prefix else townships.none()
    ledgers = {
        ledger.township_id: ledger
        for ledger in ledgers_visible_to(user).filter(year=year).select_related("submitted_by")
    }
    counts: dict[str, dict[str, int]] = {}
    for row in (
        rows_visible_to(user)
        .filter(ledger__year=year)
        .values("ledger__township_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(row["ledger__township_id"], {})[row["status"]] = row["n"]
    result = []
    for township in townships.order_by("code"):
        ledger = ledgers.get(township.code)
        state, label = submission_state(ledger, deadline.day, today)
        per_status = counts.get(township.code, {})
        result.append(
            TownshipLedger(
                township,
                ledger,
                state,
                label,
                {s: per_status.get(s, 0) for s in IncomeLedgerRow.Status.values},
            )
        )
    return deadline, result


# ---------------------------------------------------------------- rows


def _head(field_name: str) -> Subquery:
    heads = Person.objects.filter(household_id=OuterRef("household_id"), relation=Relation.HEAD)
    return Subquery(heads.order_by("pk").values(field_name)[:1])


def ledger_rows(
    user: Any,
    *,
    ledger: IncomeLedger | None = None,
    year: int | None = None,
    status: str = "",
    cause: str = "",
) -> QuerySet[IncomeLedgerRow]:
    """The rows the user sees, of one ledger or of every ledger of a year, with the head
    of household's name and ID number (to be masked by the caller) and the village."""
    qs = rows_visible_to(user)
    if ledger is not None:
        qs = qs.filter(ledger=ledger)
    if year is not None:
        qs = qs.filter(ledger__year=year)
    if status:
        qs = qs.filter(status=status)
    if cause:
        qs = qs.filter(cause=cause)
    return (
        qs.select_related("household", "household__area", "ledger", "ledger__township", "responsible")
        .annotate(head_name=_head("name"), head_id_number=_head("id_number"))
        .order_by("ledger__township_id", "household__number")
    )


def status_counts(user: Any, ledger: IncomeLedger) -> dict[str, int]:
    found = dict(
        rows_visible_to(user).filter(ledger=ledger).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {s: found.get(s, 0) for s in IncomeLedgerRow.Status.values}


def pending_count(ledger: IncomeLedger) -> int:
    """Rows still 待核查 in the whole ledger (whoever may see them): what blocks submission."""
    return ledger.rows.filter(status=IncomeLedgerRow.Status.PENDING).count()


def household_measures(row: IncomeLedgerRow) -> QuerySet[AssistanceMeasure]:
    """The measures a row may link: the household's own, and only those."""
    return AssistanceMeasure.objects.filter(household_id=row.household_id).order_by("measure_type", "pk")


def responsible_candidates(ledger: IncomeLedger) -> QuerySet[User]:
    """Who may be named responsible: active users of org units in the ledger's township."""
    return User.objects.filter(
        is_active=True, org_unit__area__code__startswith=prefix(ledger.township_id)
    ).order_by("username")


def household_head(row: IncomeLedgerRow) -> Person | None:
    """The head of the row's household (the first by pk, like `_head`), or None."""
    return row.household.members.filter(relation=Relation.HEAD).first()


def recorded_income(row: IncomeLedgerRow, year: int) -> HouseholdIncome | None:
    return HouseholdIncome.objects.filter(household_id=row.household_id, year=year).first()
