"""The scope matrix: every role against every household of the world, through every
channel that returns households — HTML list, HTML detail, API list, API detail, admin
changelist, admin change page, person admin, and the home-page counts.

A household outside a user's scope must not show up anywhere, not even as a count.
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dixian.conftest import VISIBLE
from dixian.registry.models import Household, Person

CHANNELS = ("list", "detail", "api_list", "api_detail", "admin_list", "admin_change", "admin_persons")


def _as_staff(user):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_household", "view_person"]))


def _seen(client, channel, household):
    """Whether `household` is visible through `channel` for the logged-in client."""
    number = household.number
    if channel == "list":
        return number in client.get(reverse("household_list")).content.decode()
    if channel == "detail":
        return _ok_or_404(client.get(reverse("household_detail", args=[household.pk])))
    if channel == "api_list":
        items = client.get("/api/v1/households?limit=200").json()["items"]
        return number in {i["number"] for i in items}
    if channel == "api_detail":
        return _ok_or_404(client.get(f"/api/v1/households/{household.pk}"))
    if channel == "admin_list":
        return number in client.get(reverse("admin:registry_household_changelist")).content.decode()
    if channel == "admin_change":
        return _ok_or_404(client.get(reverse("admin:registry_household_change", args=[household.pk])))
    if channel == "admin_persons":
        person = household.members.get()
        page = client.get(reverse("admin:registry_person_changelist")).content.decode()
        return f"/admin/registry/person/{person.pk}/change/" in page
    raise AssertionError(channel)


def _ok_or_404(response):
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_every_channel_shows_exactly_the_users_scope(client, world, who):
    user = world.users()[who]
    _as_staff(user)
    client.force_login(user)
    mismatches = []
    for name, household in world.households().items():
        expected = name in VISIBLE[who]
        for channel in CHANNELS:
            if _seen(client, channel, household) != expected:
                mismatches.append(f"{channel}:{name} expected {'visible' if expected else 'hidden'}")
    assert mismatches == []


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_counts_on_home_and_api_equal_the_scope(client, world, who):
    user = world.users()[who]
    client.force_login(user)
    assert client.get("/api/v1/households").json()["count"] == len(VISIBLE[who])
    home = client.get(reverse("home"))
    if VISIBLE[who]:
        assert home.context["summary"].households_total == len(VISIBLE[who])
        assert home.context["summary"].persons_total == len(VISIBLE[who])


def test_the_world_really_has_households_outside_each_scope(world):
    # Guards the matrix itself: every user but the county ones has something to miss.
    assert Household.objects.count() == 4 and Person.objects.count() == 4
    for who, seen in VISIBLE.items():
        if who not in ("county", "dept"):
            assert seen != set(world.households())


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_measure_and_employment_admin_lists_stay_in_scope(client, world, who):
    from dixian.employment.models import EmploymentRecord
    from dixian.monitoring.models import AssistanceMeasure

    for name, household in world.households().items():
        AssistanceMeasure.objects.create(household=household, measure_type="产业帮扶", detail=f"措施-{name}")
        EmploymentRecord.objects.create(person=household.members.get(), employer=f"企业-{name}")
    user = world.users()[who]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_assistancemeasure", "view_employmentrecord"])
    )
    client.force_login(user)
    measures = client.get(reverse("admin:monitoring_assistancemeasure_changelist")).content.decode()
    jobs = client.get(reverse("admin:employment_employmentrecord_changelist")).content.decode()
    for name in world.households():
        assert (f"措施-{name}" in measures) == (name in VISIBLE[who])
        assert (f"企业-{name}" in jobs) == (name in VISIBLE[who])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_warning_and_event_admin_lists_stay_in_scope(client, world, who):
    import datetime as dt

    from dixian.monitoring.models import HouseholdEvent, ScreeningWarning

    for name, household in world.households().items():
        ScreeningWarning.objects.create(
            household=household,
            rule="R02-SEVERE-ILLNESS-DISABILITY",
            year=2024,
            as_of=dt.date(2025, 1, 1),
            evidence=f"依据-{name}",
        )
        HouseholdEvent.objects.create(
            household=household, date=dt.date(2024, 6, 1), kind="意外事故", note=f"事件-{name}"
        )
    user = world.users()[who]
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_screeningwarning", "view_householdevent"])
    )
    client.force_login(user)
    warnings = client.get(reverse("admin:monitoring_screeningwarning_changelist")).content.decode()
    events = client.get(reverse("admin:monitoring_householdevent_changelist")).content.decode()
    for name in world.households():
        assert (f"依据-{name}" in warnings) == (name in VISIBLE[who])
        assert (f"事件-{name}" in events) == (name in VISIBLE[who])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_person_list_and_the_list_exports_stay_in_scope(client, world, who):
    """The person list (rows and count) and the person, 监测对象信息 and case-list exports
    hold exactly the user's households: not one row, number or count more."""
    import csv
    import io

    from dixian.monitoring.models import MonitoringCase

    for household in world.households().values():
        MonitoringCase.objects.create(
            household=household, category="边缘易致贫户", identified_on="2024-05-01"
        )
    client.force_login(world.users()[who])
    expected = {world.households()[n].number for n in VISIBLE[who]}
    page = client.get(reverse("person_list"))
    assert {p.household.number for p in page.context["page"]} == expected
    assert page.context["page"].paginator.count == len(expected)
    for url in ("export_persons_csv", "export_households_monitoring_csv", "export_cases_monitoring_csv"):
        content = b"".join(client.get(reverse(url)).streaming_content).decode("utf-8-sig")
        rows = [r for r in list(csv.reader(io.StringIO(content)))[3:] if r]
        assert {r[3] for r in rows} == expected, url
        for name, household in world.households().items():
            assert (household.number in content) == (name in VISIBLE[who]), url


# ---- income-decline ledger (dixian.income.ledger): pages, row form and workbook ----
# A row belongs to the township the household lives in, so an origin township (迁出地)
# sees a household in the registry but not its ledger row.
LEDGER_VISIBLE: dict[str, set[str]] = {
    "county": {"a1", "a2", "b1", "moved"},
    "dept": {"a1", "a2", "b1", "moved"},
    "town_a": {"a1", "a2"},
    "town_b": {"b1", "moved"},
    "village_a1": {"a1"},
    "cadre": set(),
    "leader": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_income_ledger_pages_rows_and_workbook_stay_in_scope(client, world, who):
    import io

    from python_calamine import CalamineWorkbook

    from dixian.income.ledger import services
    from dixian.income.models import IncomeLedger, IncomeLedgerRow
    from dixian.monitoring.models import MonitoringCase
    from dixian.registry.models import HouseholdIncome

    assert LEDGER_VISIBLE[who] <= VISIBLE[who]
    MonitoringCase.objects.create(household=world.a2, category="边缘易致贫户", identified_on="2024-03-01")
    for household in world.households().values():
        HouseholdIncome.objects.create(household=household, year=2025, wage=1000, members=2)
    services.ledger_generate(year=2025, actor=world.county)
    assert IncomeLedgerRow.objects.count() == 4
    client.force_login(world.users()[who])
    pages = "".join(
        r.content.decode()
        for r in (
            client.get(reverse("income_ledger_detail", args=[pk]))
            for pk in IncomeLedger.objects.values_list("pk", flat=True)
        )
        if r.status_code == 200
    )
    home = client.get(reverse("income_ledger_home"), follow=True).content.decode()
    export = client.get(reverse("income_ledger_export"), {"year": 2025})
    cells = ""
    if export.status_code == 200:
        book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
        cells = str(book.get_sheet_by_index(0).to_python())
    mismatches = []
    for name, household in world.households().items():
        expected = name in LEDGER_VISIBLE[who]
        row = IncomeLedgerRow.objects.get(household=household)
        seen = {
            "ledger_pages": household.number in pages,
            "home": household.number in home or (expected and who in ("county", "dept")),
            "row": _ok_or_404(client.get(reverse("income_ledger_row", args=[row.pk]))),
            "export": household.number in cells,
        }
        mismatches += [f"{channel}:{name}" for channel, value in seen.items() if value != expected]
    assert mismatches == []


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_income_focus_pages_export_api_and_growth_stay_in_scope(client, world, who):
    """Every world household is in F01 (per-capita 5,000 < 10,000; a2, an ordinary
    household, through an approved case): each focus channel shows exactly the scope, the
    overview total counts it, and the growth page shows other townships' rows and the county
    total only to county-wide users."""
    import io

    from python_calamine import CalamineWorkbook

    from dixian.monitoring.models import MonitoringCase
    from dixian.registry.models import HouseholdIncome

    HouseholdIncome.objects.update(wage="10000")
    MonitoringCase.objects.create(household=world.a2, category="边缘易致贫户", status="approved")
    client.force_login(world.users()[who])
    code, query = "F01-BELOW-10K", {"year": 2024}
    page = client.get(reverse("income_focus_list", args=[code]), query).content.decode()
    export = client.get(reverse("income_focus_export", args=[code]), query)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    exported = {row[3] for row in sheet[4:]}
    api = {
        i["number"] for i in client.get(f"/api/v1/income/focus/{code}?year=2024&limit=200").json()["items"]
    }
    mismatches = []
    for name, household in world.households().items():
        expected = name in VISIBLE[who]
        seen = {
            "list": household.number in page,
            "export": household.number in exported,
            "api": household.number in api,
        }
        mismatches += [f"{channel}:{name}" for channel, value in seen.items() if value != expected]
    assert mismatches == []
    overview = client.get(reverse("income_focus"), query).context["rows"]
    total = {g.code: cell for g, cell in overview[-1].cells}[code]
    assert total == (len(VISIBLE[who]), len(VISIBLE[who]))  # none holds an income-increase measure
    growth = client.get(reverse("income_growth"))
    labels = [r.label for r in growth.context["tables"][0].rows]
    own_row = {
        "county": ["东山镇", "陡水镇"],
        "dept": ["东山镇", "陡水镇"],
        "town_a": ["东山镇"],
        "town_b": ["陡水镇"],
        "village_a1": ["东山A1村"],
        "cadre": ["本人结对帮扶户"],
        "leader": ["本人结对帮扶户"],
    }
    county_total = ["全县"] if who in ("county", "dept") else []  # only county-wide users
    assert labels == ([*own_row[who], *county_total] if who in own_row else [])


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_leaflet_pages_are_open_to_every_role_and_show_no_household(client, world, who):
    # 明白纸 are public policy sheets: every logged-in user reads the same pages, with no
    # household, person or count of anyone's scope on them.
    from dixian.monitoring.leaflets.sheets import SHEETS

    client.force_login(world.users()[who])
    urls = [reverse("leaflet_index"), reverse("leaflet_all")]
    urls += [reverse("leaflet_sheet", args=[slug]) for slug in SHEETS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for household in world.households().values():
            person = household.members.get()
            assert household.number not in html and person.name not in html and person.id_number not in html


# Measures and events (issue 4): outside scope 404 on every page; inside, the roles that
# only read (县直部门, 帮扶单位负责人) get 403 and the others the form.
MEASURE_READ_ONLY = {"dept", "leader"}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_measure_and_event_pages_answer_404_outside_scope_and_403_to_readers(client, world, who):
    from dixian.monitoring.models import AssistanceMeasure

    client.force_login(world.users()[who])
    mismatches = []
    for name, household in world.households().items():
        measure = AssistanceMeasure.objects.create(household=household, measure_type="产业帮扶")
        urls = [
            reverse("measure_new", args=[household.pk]),
            reverse("measure_edit", args=[measure.pk]),
            reverse("measure_end", args=[measure.pk]),
            reverse("event_new", args=[household.pk]),
        ]
        expected = 404 if name not in VISIBLE[who] else 403 if who in MEASURE_READ_ONLY else 200
        for url in urls:
            got = client.get(url).status_code
            if got != expected:
                mismatches.append(f"{url}:{name} expected {expected} got {got}")
    assert mismatches == []


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_paired_households_on_home_stay_in_scope(client, world, who):
    from dixian.accounts.roles import PAIRING_ROLES
    from dixian.testing import factories as f

    user = world.users()[who]
    for household in world.households().values():
        if not household.pairings.filter(cadre=user).exists():
            f.pair(user, household)
    client.force_login(user)
    rows = client.get(reverse("home")).context["worklist"].rows
    # A pairing makes a household visible to a cadre or unit leader; anyone else keeps their area.
    expected = set(world.households()) if user.roles & PAIRING_ROLES else VISIBLE[who]
    assert {r.household.number for r in rows} == {world.households()[n].number for n in expected}
