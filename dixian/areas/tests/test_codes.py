import pytest

from dixian.areas.codes import AreaCodeError, Level, level_of, normalise, parent_code, prefix, township_code


def test_levels_from_12_digit_codes():
    assert level_of("360000000000") is Level.PROVINCE
    assert level_of("360700000000") is Level.CITY
    assert level_of("360724000000") is Level.COUNTY
    assert level_of("360724100000") is Level.TOWNSHIP
    assert level_of("360724100201") is Level.VILLAGE


def test_prefix_and_parents():
    assert prefix("360724100000") == "360724100"
    assert prefix("360724") == "360724"
    assert township_code("360724100201") == "360724100000"
    assert parent_code("360724100201") == "360724100000"
    assert parent_code("360724100000") == "360724000000"
    assert parent_code("360000000000") is None


def test_bad_codes_are_refused():
    for bad in ("36072410", "3607241002011", "36072A100201"):
        with pytest.raises(AreaCodeError):
            normalise(bad)


@pytest.mark.django_db
def test_migrate_seeds_the_county_and_its_townships():
    from dixian.areas.models import Area, OrgUnit

    townships = Area.objects.filter(parent_id="360724000000", level="township")
    names = set(townships.values_list("name", flat=True))
    assert {"东山镇", "紫阳乡", "五指峰乡", "城市社区管委会"} <= names
    assert Area.objects.get(code="360724204000").name == "双溪乡"
    assert OrgUnit.objects.filter(kind="township_government").count() == townships.count()
