"""The demo generator without a database: structure, code lists and determinism."""

import datetime as dt
from collections import Counter

import pytest

from dixian.demo.assistance import MEASURE_COLUMNS
from dixian.demo.cases import CASE_COLUMNS
from dixian.demo.generator import Generator, allocate, largest_remainder
from dixian.demo.geography import CITY_CODE, plan_villages, townships
from dixian.demo.incomes import YEARS
from dixian.demo.work import EMPLOYMENT_COLUMNS
from dixian.monitoring.models import Category, EventKind, MonitoringCase
from dixian.registry import idcard
from dixian.registry.choices import WITH_LABOUR

SIZE = 600
COL = {name: i for i, name in enumerate(CASE_COLUMNS)}
AS_OF = dt.date(2026, 11, 29)


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


def approved(county) -> list[tuple]:
    return [c for c in county["case"] if c[COL["status"]] == "approved"]


def test_categories_follow_the_household_type(county):
    types = {h[0]: h[3] for h in county["household"]}
    pairs = {(types[c[1]], c[2]) for c in county["case"] if c[2]}
    assert ("一般农户", Category.UNSTABLE) not in pairs
    assert ("脱贫户", Category.MARGINAL) not in pairs
    assert {c for _, c in pairs} == set(Category.values)
    risks = Counter(r[1] for r in county["risk"])
    assert set(risks) == {c[0] for c in county["case"] if c[2]} and max(risks.values()) <= 3


def test_cases_are_identified_on_the_first_of_a_month_and_eliminated_after_it(county):
    col = COL
    for c in approved(county):
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


def test_monitored_households_hold_measures_matching_their_risks_but_a_few(county):
    m = {name: i for i, name in enumerate(MEASURE_COLUMNS)}
    cases = {c[0]: c for c in approved(county)}
    monitored = {c[1]: c for c in cases.values() if not c[COL["eliminated"]]}
    by_household: dict[int, list[tuple]] = {}
    for row in county["measure"]:
        by_household.setdefault(row[m["household_id"]], []).append(row)
        assert row[m["source"]] == "demo" and row[m["year"]] == row[m["started_on"]].year
        assert row[m["ended_on"]] is None or row[m["ended_on"]] >= row[m["started_on"]]
        if row[m["case_id"]] is not None:
            case = cases[row[m["case_id"]]]
            assert case[1] == row[m["household_id"]] and row[m["started_on"]] >= case[COL["identified_on"]]
        if row[m["detail"]] == "小额信贷":
            assert 0 < row[m["amount"]] <= 50_000
        if row[m["measure_type"]] == "公益岗位帮扶":
            assert row[m["months"]] >= 1
    without = [h for h in monitored if h not in by_household]
    assert 0 < len(without) <= 0.1 * len(monitored)  # 重纳轻帮 (C01) for a few, not for all
    risks = {}
    for _, case_id, _, risk in county["risk"]:
        risks.setdefault(case_id, set()).add(risk)
    expected = {"因病": {"健康帮扶"}, "因学": {"教育帮扶", "义务教育保障"}, "因残": {"综合保障", "社会帮扶"},
                "因安全住房": {"住房安全保障"}, "因安全饮水": {"饮水安全保障"}}  # fmt: skip
    for household, case in monitored.items():
        if household in by_household:
            held = {row[m["measure_type"]] for row in by_household[household]}
            for risk in risks[case[0]] & expected.keys():
                assert held & expected[risk], (household, risk, held)
    kinds = Counter(row[m["measure_type"]] for row in county["measure"])
    assert {"产业帮扶", "就业帮扶", "金融帮扶", "公益岗位帮扶", "健康帮扶", "综合保障"} <= kinds.keys()


def test_employment_only_for_working_age_labour_not_in_school(county):
    e = {name: i for i, name in enumerate(EMPLOYMENT_COLUMNS)}
    persons = {p[0]: p for p in county["person"]}
    for row in county["employment"]:
        person = persons[row[e["person_id"]]]
        assert 16 <= AS_OF.year - person[7].year <= 60 and person[14] in WITH_LABOUR and not person[11]
        assert row[e["is_working"]] == (row[e["ended_on"]] is None)
        assert 100 <= row[e["monthly_income"]] <= 30_000
        assert row[e["transport_subsidy"]] in (0, 300, 500)
        if row[e["county"]] == "上犹县":
            assert row[e["transport_subsidy"]] == 0
    provinces = Counter(row[e["province"]] for row in county["employment"])
    assert {"广东省", "浙江省", "福建省", "江西省"} <= provinces.keys()
    assert provinces["江西省"] < 0.6 * len(county["employment"])  # most work outside the province
    channels = {row[e["channel"]] for row in county["employment"]}
    assert {"公益性岗位", "帮扶车间"} <= channels
    working = {row[e["person_id"]] for row in county["employment"]}
    assert county["workplan"] and not working & {plan[1] for plan in county["workplan"]}
    labour = sum(p[14] in WITH_LABOUR for p in persons.values())
    assert 0.4 * labour < len(working) < 0.8 * labour


def test_events_clues_and_income_drops_give_the_screening_rules_something_to_find(county):
    households = len(county["household"])
    recent = [ev for ev in county["event"] if AS_OF - dt.timedelta(days=365) < ev[2] <= AS_OF]
    assert 0.004 * households < len(recent) < 0.03 * households
    assert any(ev[2] < AS_OF - dt.timedelta(days=365) for ev in county["event"])
    assert {ev[3] for ev in county["event"]} <= set(EventKind.values)
    approved_households = {c[1] for c in approved(county)}
    clues = [c for c in county["case"] if c[COL["status"]] != "approved"]
    assert clues and all(c[COL["status"]] in MonitoringCase.OPEN_STATUSES for c in clues)
    for c in clues:
        assert c[1] not in approved_households and c[COL["identified_on"]] is None
        assert AS_OF - dt.timedelta(days=60) <= c[COL["opened_on"]] <= AS_OF
        assert (c[COL["status"]] in ("clue", "visited")) == (c[COL["category"]] == "")
    assert any(c[COL["opened_on"]] < AS_OF - dt.timedelta(days=15) for c in clues)
    # Each step taken left its row, so the workflow can carry the case on.
    steps = ("visit", "assessment", "publicity", "review")
    done = {table: Counter(row[1] for row in county[table]) for table in steps}
    for c in clues:
        reached = MonitoringCase.OPEN_STATUSES.index(c[COL["status"]])
        assert [done[table][c[0]] for table in steps] == [1] * reached + [0] * (4 - reached)
    dates = {
        table: {row[1]: row[2] for row in county[table]} for table in ("visit", "assessment", "publicity")
    }
    for case_id, visited in dates["visit"].items():
        assessed = dates["assessment"].get(case_id)
        assert visited <= AS_OF and (assessed is None or visited <= assessed <= AS_OF)
    assert all(p[3] - p[2] >= dt.timedelta(days=5) for p in county["publicity"])
    ends = {p[1]: p[3] for p in county["publicity"]}
    assert all(r[5] > ends[r[1]] for r in county["review"])
    net = {}
    for row in county["income"]:
        net[row[1], row[2]] = sum(row[3:7]) - row[7]
    drops = [h[0] for h in county["household"] if net[h[0], 2025] <= 0.7 * net[h[0], 2024]]
    assert drops and len(drops) < 0.03 * households


def test_id_allocator_matches_idcard_make():
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
