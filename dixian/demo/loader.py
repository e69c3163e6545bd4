"""Loading and removing the demo county.

Rows come from `generator.Generator` village by village and go to a sink (`sinks`) in
batches of a few thousand households, all inside one transaction. Primary keys are
assigned by the generator from the tables' current maximum, so persons, incomes, cases,
measures, employment records and events name their parent without a round trip; PostgreSQL's identity
sequences are moved past them afterwards. On PostgreSQL the plain indexes and foreign
keys of the demo tables are rebuilt after the load and the tables are ANALYZEd.

Bulk loads write no django-simple-history rows: the history tables of the demo tables
stay empty for demo data, and history starts with the first edit made through the
services. `wipe` also empties the screening warnings, which only name demo households.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Max

from dixian.accounts.models import User
from dixian.areas.codes import Level
from dixian.areas.models import Area, OrgUnit, ResettlementSite
from dixian.core import generations
from dixian.demo import postgres
from dixian.demo.cases import APPROVED, CASE_COLUMNS
from dixian.demo.generator import Generator
from dixian.demo.geography import DEMO_NOTE, ensure_geography
from dixian.demo.ledgers import generate_ledgers
from dixian.demo.names import ASSISTANCE_UNITS
from dixian.demo.parameters import ensure_parameters
from dixian.demo.sinks import MODELS, CopySink, ExecuteManySink, Sink
from dixian.demo.users import COUNTY_CODE, demo_users_q, ensure_users
from dixian.demo.work import Subsidies
from dixian.income.models import IncomeLedger
from dixian.monitoring.models import ScreeningWarning
from dixian.registry.selectors import MissingParameter, parameter_value

Report = Callable[[str], None]
DATA_YEAR = 2025
CASE_STATUS = CASE_COLUMNS.index("status")
# Emptied with the demo tables: rows that only make sense for the demo's households.
CLEARED: list[type[models.Model]] = [*MODELS.values(), ScreeningWarning]


@dataclass
class Counts:
    households: int = 0
    persons: int = 0
    cases: int = 0
    incomes: int = 0
    pairings: int = 0
    clues: int = 0
    measures: int = 0
    employment: int = 0
    work_plans: int = 0
    events: int = 0


def subsidies() -> Subsidies:
    """The transport subsidy amounts of the demo's data year, as the parameters set them."""
    try:
        return Subsidies(
            out_province=int(parameter_value("transport_subsidy_out_province", DATA_YEAR).value),
            in_province=int(parameter_value("transport_subsidy_in_province", DATA_YEAR).value),
        )
    except MissingParameter:
        return Subsidies()


def next_ids() -> dict[str, int]:
    return {t: (m._default_manager.aggregate(n=Max("pk"))["n"] or 0) + 1 for t, m in MODELS.items()}


def load(*, households: int, seed: int, report: Report) -> Counts:
    """Generate and write the demo county; the caller has checked it is not loaded."""
    started = time.monotonic()
    on_postgres = connection.vendor == "postgresql"
    tables = list(MODELS.values())
    counts = Counts()
    with transaction.atomic():
        generations.bump(generations.MONITORING)  # everything below is written past the signals
        generator = Generator(households=households, seed=seed)
        generator.site_ids = ensure_geography(generator.villages)
        User.objects.filter(demo_users_q()).delete()
        generator.pairing = ensure_users(generator.villages, generator.demo_village, households, seed)
        generator.next_ids = next_ids()
        parameters = ensure_parameters()
        generator.subsidies = subsidies()
        report(
            f"区划：{len(generator.villages)} 个村（社区），{len(generator.site_ids)} 个安置点；演示参数 {parameters} 项；"
            f"开始生成 {households:,} 户（{'COPY' if on_postgres else 'executemany'}）"
        )
        sink: Sink = CopySink() if on_postgres else ExecuteManySink()
        with postgres.without_secondary_indexes(tables, report) if on_postgres else nullcontext():
            try:
                _write(generator, sink, counts, report, started)
            except BaseException:
                sink.abort()
                raise
            sink.close()
        if on_postgres:
            postgres.reset_sequences(tables)
    report(f"更新统计信息（ANALYZE）… {time.monotonic() - started:.1f} s")
    if on_postgres:
        postgres.analyze(tables)
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report(generate_ledgers(DATA_YEAR))
    return counts


def _write(generator: Generator, sink: Sink, counts: Counts, report: Report, started: float) -> None:
    """Feed the sink, with a progress line per township."""
    township, township_households = "", 0

    def progress() -> None:
        elapsed = time.monotonic() - started
        report(f"  {township} {township_households:,} 户 · 累计 {counts.households:,} 户 · {elapsed:.1f} s")

    for batch in generator:
        if batch.village.township_name != township and township:
            progress()
            township_households = 0
        township = batch.village.township_name
        township_households += len(batch.rows["household"])
        counts.households += len(batch.rows["household"])
        counts.persons += len(batch.rows["person"])
        counts.incomes += len(batch.rows["income"])
        clues = sum(1 for case in batch.rows["case"] if case[CASE_STATUS] != APPROVED)
        counts.cases += len(batch.rows["case"]) - clues
        counts.clues += clues
        counts.measures += len(batch.rows["measure"])
        counts.employment += len(batch.rows["employment"])
        counts.work_plans += len(batch.rows["workplan"])
        counts.events += len(batch.rows["event"])
        counts.pairings += len(batch.rows["pairing"])
        sink.add(batch)
    progress()


def _delete_dependents() -> None:
    """Rows of other apps that hang off demo rows go first, through the ORM (their own
    cascades and protections apply). History rows point with DO_NOTHING and are skipped."""
    ours = set(CLEARED)
    for model in MODELS.values():
        for rel in model._meta.related_objects:
            if rel.related_model in ours or rel.on_delete is models.DO_NOTHING or rel.many_to_many:
                continue
            rel.related_model._default_manager.filter(**{f"{rel.field.name}__isnull": False}).delete()


def _clear_tables() -> None:
    """Empty the demo tables, the screening warnings and their history tables: TRUNCATE
    on PostgreSQL when no other table points at them, else one DELETE per table,
    children first."""
    ordered: list[type[models.Model]] = [
        m
        for model in reversed(CLEARED)
        for m in (model.history.model, model)  # type: ignore[attr-defined]
    ]
    if connection.vendor == "postgresql" and postgres.truncate(ordered):
        return
    for m in ordered:
        m._default_manager.all()._raw_delete(m._default_manager.db)


def wipe(report: Report) -> None:
    """Delete the demo county: all households and what hangs off them (with their
    history), the demo users, the assistance units and the demo villages."""
    started = time.monotonic()
    with transaction.atomic():
        generations.bump(generations.MONITORING)  # the tables are emptied past the signals
        IncomeLedger.objects.all().delete()  # ledgers list demo households only
        _delete_dependents()
        _clear_tables()
        User.objects.filter(demo_users_q()).delete()
        OrgUnit.objects.filter(
            area_id=COUNTY_CODE, kind=OrgUnit.Kind.ASSISTANCE_UNIT, name__in=ASSISTANCE_UNITS
        ).delete()
        demo_villages = Area.objects.filter(level=Level.VILLAGE, note=DEMO_NOTE)
        ResettlementSite.objects.filter(area__in=demo_villages).delete()
        OrgUnit.objects.filter(area__in=demo_villages).delete()
        demo_villages.delete()
    report(f"已删除演示数据（{time.monotonic() - started:.1f} s）")
