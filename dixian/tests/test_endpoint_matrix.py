"""The endpoint × role matrix, built from the URL resolver rather than a hand list.

Every URL pattern outside the admin (the API's operations included: Ninja registers each as a
URL pattern, and the OpenAPI schema is checked against the same table) must have an entry in
ENDPOINTS. A new endpoint without one fails `test_every_endpoint_is_in_the_matrix` with its
name, so nobody can add a page, an export or an API operation that no scope test covers.

Each entry says how to call the endpoint for one household of the scope world
(`dixian/conftest.py`): with that household's object (its household, case, warning, measure
…) or as a page/list. The checks, for every user of the world and an anonymous client:

* anonymous: refused (redirect to the login page, or 401 for the API);
* an object endpoint, household outside the user's scope: the answer is the answer for an
  id that does not exist (normally 404) — the user cannot tell "not yours" from "not there" —
  and it names no household;
* an object endpoint, household inside the scope: anything but 404 or a server error
  (200, a redirect, or 403 where the role may read but not write);
* a page, a list, an export, an API list: never names a household outside the scope, and
  for entries marked `shows`, the county user's answer names every household (so the page
  really lists them and the absence of the others means something).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from dixian.conftest import VISIBLE, World
from dixian.income.models import IncomeLedger, IncomeLedgerRow
from dixian.monitoring.models import (
    AssistanceMeasure,
    CaseRisk,
    Category,
    EliminationCase,
    HouseholdEvent,
    MonitoringCase,
    Publicity,
    RiskType,
    ScreeningWarning,
)

R02 = "R02-SEVERE-ILLNESS-DISABILITY"
MISSING = 987654321
NOT_FOUND_LIKE = {403, 404, 405}


@dataclass
class Endpoint:
    """How to call one endpoint. `args(world_objects, household_name)` gives the URL args
    for that household's object; None means the endpoint takes no object (a page)."""

    args: Callable[[dict[str, Any], str], list[Any]] | None = None
    missing: list[Any] | None = None  # args naming an object that does not exist
    method: str = "GET"
    query: dict[str, str] = field(default_factory=dict)
    shows: bool = False  # the county user's answer names every household
    anonymous: str = "login"  # "login" (redirect or 401), "open" (public page)
    owner: str | None = None  # object belongs to one user: only these users may open it
    visible: dict[str, set[str]] | None = None  # who sees which household's object, when not VISIBLE


def obj(kind: str, *extra: Any) -> Callable[[dict[str, Any], str], list[Any]]:
    return lambda objects, name: [objects[kind][name].pk, *extra]


def page(**query: str) -> Endpoint:
    return Endpoint(query=query)


def listing(**query: str) -> Endpoint:
    return Endpoint(query=query, shows=True)


COUNTY_WIDE = {"a1", "a2", "b1", "moved"}
LEDGER_VISIBLE: dict[str, set[str]] = {
    "county": COUNTY_WIDE,
    "dept": COUNTY_WIDE,
    "town_a": {"a1", "a2"},
    "town_b": {"b1", "moved"},
    "village_a1": {"a1", "a2"},  # the village's township's ledger
    "cadre": set(),
    "leader": set(),
    "nobody": set(),
}
LEDGER_ROW_VISIBLE = {**LEDGER_VISIBLE, "village_a1": {"a1"}}  # rows: also the household's scope

ENDPOINTS: dict[str, Endpoint] = {
    # accounts
    "home": page(),
    "login": Endpoint(anonymous="open"),
    "logout": Endpoint(method="POST", anonymous="open"),
    # registry
    "household_list": listing(),
    "household_detail": Endpoint(args=obj("household")),
    "household_edit": Endpoint(args=obj("household")),
    "person_list": listing(),
    "person_reveal": Endpoint(args=obj("person", "id_number"), missing=[MISSING, "id_number"], method="POST"),
    "parameters": page(),
    # monitoring: screening warnings
    "screening_summary": page(),
    "screening_run": Endpoint(method="POST"),
    "screening_run_status": page(),  # an opaque task id: any id is "not there" or a county-wide run
    "screening_warning_list": Endpoint(args=None, query={}, shows=True),
    "screening_warning_export": Endpoint(args=None, shows=True),
    # monitoring: identification / elimination workflow
    "workflow_case_list": listing(),
    "workflow_case_new": Endpoint(query={}),
    "workflow_case_detail": Endpoint(args=obj("case")),
    "workflow_step": Endpoint(args=obj("case", "visit"), missing=[MISSING, "visit"], method="POST"),
    "workflow_elimination_open": Endpoint(args=obj("case"), method="POST"),
    "workflow_elimination_step": Endpoint(
        args=lambda o, n: [o["case"][n].pk, o["elimination"][n].pk, "visit"],
        missing=[MISSING, MISSING, "visit"],
        method="POST",
    ),
    "workflow_analysis_new": Endpoint(args=obj("case")),
    "workflow_analysis_overview": listing(),
    "workflow_publicity_print": Endpoint(args=obj("publicity")),
    "monitoring_dashboard": page(),
    # monitoring: printable 明白纸 (public policy sheets, any logged-in user)
    "leaflet_index": page(),
    "leaflet_all": page(),
    "leaflet_sheet": Endpoint(args=None),
    # data quality
    "dataquality_overview": page(),
    "dataquality_export": page(),
    "dataquality_check": Endpoint(args=None),
    # exports
    "export_households_xlsx": listing(),
    "export_households_csv": listing(),
    "export_households_monitoring_xlsx": listing(),
    "export_households_monitoring_csv": listing(),
    "export_persons_xlsx": listing(),
    "export_persons_csv": listing(),
    "export_cases_monitoring_xlsx": listing(),
    "export_cases_monitoring_csv": listing(),
    "export_job": Endpoint(args=obj("export_job"), owner="town_a"),
    "export_job_download": Endpoint(args=obj("export_job"), owner="town_a"),
    # imports
    "import_upload": page(),
    "import_batch_list": page(),
    "import_batch": Endpoint(args=obj("import_batch"), owner="town_a"),
    "import_commit": Endpoint(args=obj("import_batch"), owner="town_a", method="POST"),
    "import_rejected": Endpoint(args=obj("import_batch"), owner="town_a"),
    # monitoring: measures and events on the household page
    "measure_new": Endpoint(args=obj("household")),
    "measure_edit": Endpoint(args=obj("measure")),
    "measure_end": Endpoint(args=obj("measure")),
    "measure_detail_options": page(measure_type="产业帮扶"),
    "event_new": Endpoint(args=obj("household")),
    # income-decline ledger: a ledger is its township's (a relocated household's row is in the
    # ledger of the township it lives in); cadres and unit leaders see none
    "income_ledger_home": page(),
    "income_ledger_export": page(year="2025"),
    "income_ledger_detail": Endpoint(args=obj("ledger"), visible=LEDGER_VISIBLE),
    "income_ledger_submit": Endpoint(args=obj("ledger"), visible=LEDGER_VISIBLE, method="POST"),
    "income_ledger_reopen": Endpoint(args=obj("ledger"), visible=LEDGER_VISIBLE, method="POST"),
    "income_ledger_row": Endpoint(args=obj("ledger_row"), visible=LEDGER_ROW_VISIBLE),
    # audit trail (county admins only; names users, not households)
    "audit_list": page(),
    "audit_export": page(),
    # income: focus groups and growth (the world's 2024 incomes sit exactly on the focus line)
    "income_focus": page(year="2024"),
    "income_focus_list": page(year="2024"),
    "income_focus_export": page(year="2024"),
    "income_growth": page(),
    # API (Ninja names each operation's URL after its function)
    "api-root": Endpoint(anonymous="open"),
    "openapi-json": Endpoint(anonymous="open"),
    "openapi-view": Endpoint(anonymous="open"),
    "list_households": listing(limit="200"),
    "get_household": Endpoint(args=obj("household")),
    "warning_summary": page(),
    "warning_list": listing(rule=R02, limit="200"),
    "focus_members": page(year="2024", limit="200"),
}

# URL names whose pattern takes a code rather than an object: the code to use.
CODE_ARGS: dict[str, list[str]] = {
    "screening_warning_list": [R02],
    "screening_warning_export": [R02],
    "dataquality_check": ["DQ-REG-03"],
    "screening_run_status": [str(uuid.uuid4())],
    "leaflet_sheet": ["monitoring-application"],
    "income_focus_list": ["F01-BELOW-10K"],
    "income_focus_export": ["F01-BELOW-10K"],
    "focus_members": ["F01-BELOW-10K"],
}


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str, URLPattern]]:
    """(route, name to reverse, pattern) of every URL outside the admin."""
    found: list[tuple[str, str, URLPattern]] = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # the admin's scope has its own matrix (test_scope_matrix.py)
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _patterns(p, prefix + str(p.pattern), inner)
        else:
            found.append((prefix + str(p.pattern), f"{namespace}{p.name}", p))
    return found


def test_every_endpoint_is_in_the_matrix() -> None:
    uncovered = sorted(
        f"{p.name or '(unnamed)'} ({route})" for route, _, p in _patterns() if p.name not in ENDPOINTS
    )
    assert uncovered == [], "endpoints without a scope entry in ENDPOINTS: " + ", ".join(uncovered)


def test_every_openapi_operation_is_in_the_matrix() -> None:
    from dixian.api import api

    routes = {route: p.name for route, _, p in _patterns()}
    uncovered = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        route = path.lstrip("/").replace("{", "<").replace("}", ">")
        for method, operation in operations.items():
            if routes.get(route) not in ENDPOINTS:
                uncovered.append(f"{method.upper()} {path} ({operation.get('operationId')})")
    assert uncovered == [], "API operations without a scope entry: " + ", ".join(uncovered)


@pytest.fixture
def objects(world: World, tmp_path, settings) -> dict[str, Any]:
    """One of each object an endpoint can name, for every household of the world."""
    from django.core.files.base import ContentFile

    from dixian.exports.models import ExportJob
    from dixian.imports.models import ImportBatch

    settings.MEDIA_ROOT = tmp_path
    found: dict[str, dict[str, Any]] = {k: {} for k in ("household", "person", "case", "elimination")}
    found |= {"publicity": {}, "warning": {}, "export_job": {}, "import_batch": {}, "measure": {}}
    found |= {"ledger": {}, "ledger_row": {}}
    long_ago = dt.date.today() - dt.timedelta(days=800)
    for name, household in world.households().items():
        found["household"][name] = household
        found["person"][name] = household.members.get()
        case = MonitoringCase.objects.create(
            household=household,
            category=Category.MARGINAL,
            status=MonitoringCase.Status.APPROVED,
            identified_on=long_ago,
            opened_on=long_ago,
        )
        CaseRisk.objects.create(case=case, position=1, risk_type=RiskType.ILLNESS)
        found["case"][name] = case
        found["elimination"][name] = EliminationCase.objects.create(case=case, opened_on=dt.date.today())
        found["publicity"][name] = Publicity.objects.create(
            case=case, starts_on=long_ago, ends_on=long_ago + dt.timedelta(days=5)
        )
        found["warning"][name] = ScreeningWarning.objects.create(
            household=household, rule=R02, year=2024, as_of=dt.date.today(), evidence=f"依据 {name}"
        )
        found["measure"][name] = AssistanceMeasure.objects.create(
            household=household, case=case, measure_type="产业帮扶", year=2024
        )
        township = "360724100000" if name in ("a1", "a2") else "360724101000"
        ledger, _ = IncomeLedger.objects.get_or_create(township_id=township, year=2025)
        found["ledger"][name] = ledger
        found["ledger_row"][name] = IncomeLedgerRow.objects.create(
            ledger=ledger, household=household, previous_income=10000, income=8000
        )
        HouseholdEvent.objects.create(household=household, date=dt.date.today(), kind="意外事故", note=name)
    job = ExportJob.objects.create(
        user=world.town_a, format=ExportJob.Format.CSV, status=ExportJob.Status.DONE
    )
    job.file.save("town_a.csv", ContentFile("户编号\n".encode()), save=True)
    batch = ImportBatch.objects.create(
        original_filename="a.xlsx", year=2024, created_by=world.town_a, scope_prefix="360724100"
    )
    batch.file.save("a.xlsx", ContentFile(b"PK"), save=True)
    for name in world.households():
        found["export_job"][name] = job
        found["import_batch"][name] = batch
    return found


def _url(name: str, args: list[Any]) -> str:
    qualified = {p.name: full for _, full, p in _patterns()}
    return reverse(qualified[name], args=args)


def _call(client: Client, spec: Endpoint, url: str) -> tuple[int, str]:
    response = client.post(url, {}) if spec.method == "POST" else client.get(url, spec.query)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, _text(body, response.get("Content-Type", ""))


def _text(body: bytes, content_type: str) -> str:
    if "spreadsheetml" in content_type:
        book = CalamineWorkbook.from_filelike(io.BytesIO(body))
        cells = (
            str(c)
            for sheet in book.sheet_names
            for row in book.get_sheet_by_name(sheet).to_python()
            for c in row
        )
        return "\n".join(cells)
    if "json" in content_type:
        return json.dumps(json.loads(body or b"null"), ensure_ascii=False)
    return body.decode("utf-8", "replace")


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", re.I
)


def _inline_script(text: str) -> str | None:
    """An inline script or event-handler attribute: the CSP (script-src 'self') blocks it,
    so a page that has one is broken in the browser as well as unsafe."""
    found = INLINE_SCRIPT.search(text)
    return found.group(0) if found else None


def _names_in(text: str, world: World) -> set[str]:
    return {name for name, h in world.households().items() if h.number in text}


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_endpoint_answers_each_role_within_scope(name: str, world: World, objects, settings) -> None:
    settings.DIXIAN_EXPORT_ASYNC_ROWS = 10_000
    spec = ENDPOINTS[name]
    code_args = CODE_ARGS.get(name)
    problems: list[str] = []

    # anonymous
    anonymous = Client()
    first = list(world.households())[0]
    args = code_args or (spec.args(objects, first) if spec.args else [])
    status, text = _call(anonymous, spec, _url(name, args))
    if spec.anonymous == "login" and status not in (302, 401, 403):
        problems.append(f"anonymous got {status}")
    if _names_in(text, world):
        problems.append(f"anonymous sees {sorted(_names_in(text, world))}")

    for who, user in world.users().items():
        client = Client()
        client.force_login(user)
        if spec.args is None or code_args:
            status, text = _call(client, spec, _url(name, code_args or []))
            if status >= 500:
                problems.append(f"{who}: {status}")
            if _inline_script(text):
                problems.append(f"{who}: inline script {_inline_script(text)!r}")
            leaked = _names_in(text, world) - VISIBLE[who]
            if leaked:
                problems.append(f"{who} sees households outside scope: {sorted(leaked)}")
            if spec.shows and who == "county" and _names_in(text, world) != set(world.households()):
                problems.append(f"county should see all households, saw {sorted(_names_in(text, world))}")
            continue
        missing_args = spec.missing or [MISSING]
        absent_status, absent_text = _call(client, spec, _url(name, missing_args))
        if absent_status not in NOT_FOUND_LIKE:
            problems.append(f"{who}: a missing object answers {absent_status}")
        for household_name in world.households():
            status, text = _call(client, spec, _url(name, spec.args(objects, household_name)))
            allowed = (who in (spec.owner, "county") and name.startswith("import")) or who == spec.owner
            scope = spec.visible or VISIBLE
            visible = allowed if spec.owner else household_name in scope[who]
            if status >= 500:
                problems.append(f"{who}/{household_name}: {status}")
            elif visible and status == 404:
                problems.append(f"{who}/{household_name}: in scope but 404")
            elif not visible and status != absent_status:
                problems.append(
                    f"{who}/{household_name}: out of scope answers {status}, missing answers {absent_status}"
                )
            leaked = _names_in(text, world) - VISIBLE[who]
            if leaked:
                problems.append(f"{who}/{household_name} sees households outside scope: {sorted(leaked)}")
    assert problems == []
