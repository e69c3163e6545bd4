"""The checks that count per household (DQ-INC-03, DQ-REG-03, DQ-MON-13) run as one
grouped pass over the county. These pin the cases where a grouped query could answer
differently from a count per household: no members at all, three heads, other years'
incomes, cases that are not open, and a township user's scope. DQ-EMP-07 keeps blank
phones out of its candidates."""

from __future__ import annotations

import datetime as dt

import pytest

from dixian.accounts.roles import Role
from dixian.dataquality.checks import BY_CODE
from dixian.dataquality.selectors import context_for_user, counts_by_township, county_context, finding_rows
from dixian.dataquality.tests.helpers import AS_OF, YEAR, case, found, household, income, person, work
from dixian.monitoring.models import MonitoringCase
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def family(size: int, **kw):
    h = household(**kw)
    for i in range(size):
        person(h, relation="户主" if i == 0 else "之子")
    return h


def test_income_members_against_members_counted_in_one_pass():
    empty = household()  # an income record but nobody in the household: 2 ≠ 0
    income(empty, members=2)
    fewer = family(2)
    income(fewer, members=3)
    more = family(4)
    income(more, members=3)
    matching = family(3)
    income(matching, members=3)
    last_year_only = family(2)  # only last year's record disagrees: not this year's check
    f.IncomeFactory(household=last_year_only, year=YEAR - 1, members=5)
    income(last_year_only, members=2)
    no_income = family(2)
    assert found("DQ-INC-03") == {empty.number, fewer.number, more.number}
    assert no_income.number not in found("DQ-INC-03")


def test_two_or_more_heads_each_household_once():
    two = family(1)
    person(two, relation="户主")
    three = family(1)
    person(three, relation="户主")
    person(three, relation="户主")
    one = family(3)
    nobody = household()
    spouse_only = household()
    person(spouse_only, relation="配偶")
    rows = finding_rows(BY_CODE["DQ-REG-03"], _county())
    assert sorted(r.number for r in rows) == sorted([two.number, three.number])
    assert {one.number, nobody.number, spouse_only.number}.isdisjoint(r.number for r in rows)


def test_several_open_cases_counts_only_approved_open_ones():
    two_open = household()
    case(two_open, risks=("因病",))
    case(two_open, identified=D(2025, 1, 1), risks=("因学",))
    open_and_eliminated = household()
    case(open_and_eliminated, risks=("因病",))
    case(open_and_eliminated, identified=D(2022, 1, 1), eliminated_on=D(2023, 1, 1), method="自然消除")
    open_and_clue = household()
    case(open_and_clue, risks=("因病",))
    clue = case(open_and_clue, identified=D(2025, 3, 1), risks=("因学",))
    MonitoringCase.objects.filter(pk=clue.pk).update(status=MonitoringCase.Status.CLUE)
    assert found("DQ-MON-13") == {two_open.number}


def test_a_township_user_sees_only_their_own_findings_and_counts():
    f.village("360724101201")
    ours = family(1)
    person(ours, relation="户主")
    income(ours, members=5)
    case(ours, risks=("因病",))
    case(ours, identified=D(2025, 1, 1), risks=("因学",))
    theirs = family(1, area=f.village("360724101201"))
    person(theirs, relation="户主")
    income(theirs, members=5)
    case(theirs, risks=("因病",))
    case(theirs, identified=D(2025, 1, 1), risks=("因学",))
    user = f.user("town", Role.TOWNSHIP, "360724100000")
    ctx = context_for_user(user, year=YEAR, as_of=AS_OF)
    for code in ("DQ-INC-03", "DQ-REG-03", "DQ-MON-13"):
        assert [r.number for r in finding_rows(BY_CODE[code], ctx)] == [ours.number], code
        assert counts_by_township(BY_CODE[code], ctx) == {"360724100000": 1}, code
        assert counts_by_township(BY_CODE[code], _county()) == {"360724100000": 1, "360724101000": 1}, code


def _county():
    return county_context(year=YEAR, as_of=AS_OF)


def test_blank_phones_are_never_shared_phones():
    # DQ-EMP-07 leaves blank phones out of its candidates (the query plan at 1,000,000
    # households depends on it): many working people without a phone share nothing.
    blank = [person(phone="") for _ in range(3)]
    shared = [person(phone="13900000009"), person(phone="13900000009")]
    not_working = person(phone="13900000008")
    person(phone="13900000008")
    for p in [*blank, *shared]:
        work(p)
    rows = finding_rows(BY_CODE["DQ-EMP-07"], _county())
    assert sorted(r.number for r in rows) == sorted(p.household.number for p in shared)
    assert not_working.household.number not in {r.number for r in rows}
