"""The demo generator without a database: structure, code lists and determinism."""

from collections import Counter

import pytest

from dixian.demo.cases import CASE_COLUMNS
from dixian.demo.generator import Generator, allocate, largest_remainder
from dixian.demo.geography import CITY_CODE, plan_villages, townships
from dixian.demo.incomes import YEARS
from dixian.monitoring.models import Category
from dixian.registry import idcard

SIZE = 600


def rows(households: int = SIZE, seed: int = 7) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for batch in Generator(households=households, seed=seed):
        for table, table_rows in batch.rows.items():
            out.setdefault(table, []).extend(table_rows)
    return out


@pytest.fixture(scope="module")
def county():
    return rows()


def test_fifteen_townships_without_the_industrial_park_each_with_8_to_12_villages():
    villages = plan_villages(7)
    per_township = Counter(v.township_code for v in villages)
    assert set(per_township) == {code for code, _ in townships()}
    assert len(per_township) == 15 and "360724400000" not in per_township
    assert all(8 <= n <= 12 for n in per_township.values())
    assert all(len(v.code) == 12 and v.code[:9] == v.township_code[:9] for v in villages)
    assert len({v.code for v in villages}) == len(villages)


def test_the_notice_names_its_real_villages_and_resettlement_sites():
    villages = {(v.township_name, v.name): v for v in plan_villages(7)}
    for key in [
        ("城市社区管委会", "幸福社区居委会"),
        ("营前镇", "蛛岭村"),
        ("营前镇", "云水社区"),
        ("社溪镇", "潼川社区"),
        ("寺下镇", "新圩村"),
        ("寺下镇", "童江社区居委会"),
        ("紫阳乡", "高基坪村"),
    ]:
        assert key in villages
    kinds = Counter(v.site.kind for v in villages.values() if v.site)
    assert kinds == {"centralised": 6, "dispersed": 1}
    assert villages[("营前镇", "云水社区")].site.kind == "dispersed"


def test_largest_remainder_splits_exactly():
    assert sum(largest_remainder(1001, [0.3, 0.3, 0.4])) == 1001
    quotas = allocate(20_000, plan_villages(1))
    assert sum(q.alleviated + q.relocated_alleviated for q in quotas) == 15_000
    assert sum(q.total for q in quotas) == 20_000
    assert sum(q.relocated_alleviated + q.relocated_ordinary for q in quotas) == 600


def test_same_seed_gives_the_same_households_and_ids(county):
    again = rows()
    assert [h[1] for h in again["household"]] == [h[1] for h in county["household"]]
    assert [p[3] for p in again["person"]] == [p[3] for p in county["person"]]
    assert again == county
    other = rows(seed=8)
    assert [p[3] for p in other["person"]] != [p[3] for p in county["person"]]


def test_every_household_has_exactly_one_head(county):
    heads = Counter(p[1] for p in county["person"] if p[8] == "户主")
    assert set(heads) == {h[0] for h in county["household"]}
    assert set(heads.values()) == {1}


def test_ids_are_valid_unique_and_agree_with_birth_date_and_sex(county):
    persons = county["person"]
    assert len({p[3] for p in persons}) == len(persons)
    for p in persons:
        parsed = idcard.parse(p[3] + p[4])
        assert p[3][:4] == "3607"
        assert (parsed.birth_date, parsed.sex) == (p[7], p[6])
        assert (p[2] == "残疾人证") == bool(p[4])


def test_income_rows_cover_four_years_with_members_equal_to_household_size(county):
    size = Counter(p[1] for p in county["person"])
    years = Counter(i[1] for i in county["income"])
    assert set(years.values()) == {len(YEARS)}
    assert all(i[9] == size[i[1]] for i in county["income"])
    assert all(min(i[3:9]) >= 0 for i in county["income"])


def test_categories_follow_the_household_type(county):
    types = {h[0]: h[3] for h in county["household"]}
    pairs = {(types[c[1]], c[2]) for c in county["case"]}
    assert ("一般农户", Category.UNSTABLE) not in pairs
    assert ("脱贫户", Category.MARGINAL) not in pairs
    assert {c for _, c in pairs} == set(Category.values)
    risks = Counter(r[1] for r in county["risk"])
    assert set(risks) == {c[0] for c in county["case"]} and max(risks.values()) <= 3


def test_cases_are_identified_on_the_first_of_a_month_and_eliminated_after_it(county):
    col = {name: i for i, name in enumerate(CASE_COLUMNS)}
    for c in county["case"]:
        identified, eliminated_on = c[col["identified_on"]], c[col["eliminated_on"]]
        assert identified.day == 1 and 2021 <= identified.year <= 2025
        assert c[col["opened_on"]] < identified
        assert c[col["eliminated"]] == (eliminated_on is not None) == bool(c[col["elimination_method"]])
        if eliminated_on:
            assert eliminated_on > identified


def test_relocated_households_live_at_sites_and_came_from_elsewhere(county):
    relocated = [h for h in county["household"] if h[8]]
    assert relocated
    for h in relocated:
        assert h[9] and h[9] != h[2]
        if h[2][:9] == CITY_CODE[:9]:
            assert h[9][:9] != h[2][:9]


def test_id_allocator_matches_idcard_make():
    import datetime as dt

    from dixian.demo.people import IdAllocator

    ids = IdAllocator(3)
    for day, male in [
        (dt.date(1950, 2, 28), True),
        (dt.date(2000, 1, 1), False),
        (dt.date(2024, 12, 31), True),
    ]:
        number, birth = ids.issue("360724", day, male)
        assert number == idcard.make("360724", birth, int(number[14:17]))
        assert int(number[16]) % 2 == male
