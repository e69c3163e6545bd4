import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dixian.registry import idcard
from dixian.registry.models import Person
from dixian.registry.services import person_create
from dixian.testing.factories import HouseholdFactory, village

pytestmark = pytest.mark.django_db

NUMBER = idcard.make("360724", dt.date(1980, 6, 15), 135)


def _household():
    return HouseholdFactory(area=village("360724100201"))


def test_birth_date_and_sex_are_derived_from_the_id():
    person = person_create(
        household=_household(), id_number=NUMBER, name="李四", relation="户主", labour_skill="普通劳动力"
    )
    assert person.birth_date == dt.date(1980, 6, 15)
    assert person.sex == "男"
    assert Person.objects.get(pk=person.pk).id_last4 == NUMBER[-4:]


def test_stated_birth_date_that_contradicts_the_id_is_refused():
    with pytest.raises(ValidationError) as err:
        person_create(
            household=_household(),
            id_number=NUMBER,
            birth_date=dt.date(1980, 6, 16),
            name="李四",
            relation="户主",
            labour_skill="普通劳动力",
        )
    assert "1980-06-15" in str(err.value.message_dict["birth_date"])
    assert not Person.objects.exists()


def test_bad_checksum_is_refused_and_nothing_saved():
    bad = NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2")
    with pytest.raises(ValidationError) as err:
        person_create(
            household=_household(), id_number=bad, name="李四", relation="户主", labour_skill="普通劳动力"
        )
    assert "校验位" in str(err.value.message_dict["id_number"])
    assert not Person.objects.exists()


def test_disability_certificate_number_sets_type_and_keeps_suffix():
    person = person_create(
        household=_household(),
        id_number=NUMBER + "23",
        name="王五",
        relation="户主",
        labour_skill="弱劳动力或半劳动力",
    )
    assert (person.id_number, person.id_type, person.disability_suffix) == (NUMBER, "残疾人证", "23")
