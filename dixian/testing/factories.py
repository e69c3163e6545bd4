"""factory_boy factories and small builders for tests (not used by production code)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group

from dixian.accounts.models import User
from dixian.accounts.roles import Role
from dixian.areas.models import Area, OrgUnit
from dixian.registry import idcard
from dixian.registry.choices import HouseholdType, LabourSkill, Relation
from dixian.registry.models import Household, HouseholdIncome, Pairing, Person

PASSWORD = "correct-horse-battery"

ORG_KIND_BY_ROLE = {
    Role.COUNTY_ADMIN: OrgUnit.Kind.COUNTY_BUREAU,
    Role.COUNTY_DEPARTMENT: OrgUnit.Kind.COUNTY_DEPARTMENT,
    Role.TOWNSHIP: OrgUnit.Kind.TOWNSHIP_GOVERNMENT,
    Role.VILLAGE: OrgUnit.Kind.VILLAGE_COMMITTEE,
    Role.CADRE: OrgUnit.Kind.ASSISTANCE_UNIT,
    Role.UNIT_LEADER: OrgUnit.Kind.ASSISTANCE_UNIT,
}


def village(code: str, name: str | None = None) -> Area:
    """A village under the (seeded) township its code names."""
    area, _ = Area.objects.get_or_create(
        code=code,
        defaults={"name": name or f"村{code[-3:]}", "level": "village", "parent_id": code[:9] + "000"},
    )
    return area


def org_unit(*, area_code: str, kind: str, name: str | None = None) -> OrgUnit:
    unit, _ = OrgUnit.objects.get_or_create(
        area_id=area_code, name=name or f"{kind}-{area_code}", defaults={"kind": kind}
    )
    return unit


def user(username: str, role: Role, area_code: str, *, unit: OrgUnit | None = None, **extra: Any) -> User:
    """A user holding `role` in an org unit at `area_code` (the unit is made if needed)."""
    unit = unit or org_unit(area_code=area_code, kind=ORG_KIND_BY_ROLE[role])
    u = User.objects.create_user(
        username=username, password=PASSWORD, org_unit=unit, full_name=username, **extra
    )
    u.groups.add(Group.objects.get(name=role.label))
    return u


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"3607241000{n:08d}")
    household_type = HouseholdType.ALLEVIATED
    poverty_exit_year = 2019
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.Sequence(
        lambda n: idcard.make("360724", dt.date(1970, 1, 1) + dt.timedelta(days=n), n % 1000)
    )
    name = factory.Sequence(lambda n: f"张{n}")
    sex = factory.LazyAttribute(lambda p: idcard.parse(p.id_number).sex)
    birth_date = factory.LazyAttribute(lambda p: idcard.parse(p.id_number).birth_date)
    relation = Relation.HEAD
    labour_skill = LabourSkill.ORDINARY
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class IncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdIncome

    year = 2024
    wage = Decimal("20000")
    members = 2


def pair(cadre: User, household: Household, side: str = Pairing.Side.RESIDENCE) -> Pairing:
    return Pairing.objects.create(cadre=cadre, household=household, side=side, started_on=dt.date(2024, 1, 1))


def sign_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the login page, as a person does (the lockout backend needs the
    request, which `client.login` does not pass). Fails the test if the login is refused."""
    from django.urls import reverse

    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"登录 {username} 未成功（{response.status_code}）"
    return client
