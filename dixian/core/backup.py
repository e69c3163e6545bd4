"""Backup and restore of the whole database, for SQLite and PostgreSQL.

SQLite is copied page by page with SQLite's online backup API (a consistent snapshot even
while the site runs); PostgreSQL is dumped with `pg_dump --format=custom` and restored with
`pg_restore --clean --single-transaction`, so a failed restore leaves the database as it was.
The file's first bytes tell which engine wrote it; a backup is only restored into the same
engine.

`registry_fingerprint` gives row counts and a SHA-256 over the registry's records (people,
incomes, monitoring cases, measures) in primary-key order: the operator compares the figures
that `backup` printed with those `restore` prints, and the round-trip test does the same.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

# The records a county cannot afford to lose, in the order the fingerprint hashes them.
FINGERPRINT_MODELS = [
    "areas.Area",
    "registry.Household",
    "registry.Person",
    "registry.HouseholdIncome",
    "registry.PolicyParameter",
    "monitoring.MonitoringCase",
    "monitoring.AssistanceMeasure",
]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


@dataclass(frozen=True)
class Fingerprint:
    counts: dict[str, int]
    sha256: str

    def lines(self) -> list[str]:
        return [f"{label}\t{n}" for label, n in self.counts.items()] + [f"sha256\t{self.sha256}"]


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value)


def registry_fingerprint() -> Fingerprint:
    """Row counts and one SHA-256 over every stored column of the registry's records."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    for label in FINGERPRINT_MODELS:
        model = apps.get_model(label)
        columns = [f.attname for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        n = 0
        digest.update(f"#{label}\n".encode())
        for row in model._default_manager.order_by("pk").values_list(*columns).iterator(chunk_size=5000):
            digest.update("\x1f".join(_canonical(v) for v in row).encode())
            digest.update(b"\n")
            n += 1
        counts[label] = n
    return Fingerprint(counts, digest.hexdigest())


def engine_of_file(path: Path) -> str:
    """'sqlite' or 'postgresql' from the file's first bytes; BackupError for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc.strerror or exc}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} 不是底线系统的备份文件（既不是 SQLite 数据库，也不是 pg_dump 自定义格式）")


def current_engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"找不到 {name}：请安装与服务器版本一致的 PostgreSQL 客户端（Debian：postgresql-client）"
        )
    return tool


def backup(path: Path) -> None:
    """Write a backup of the current database to `path` (replaced atomically when done)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if current_engine() == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            settings = connection.settings_dict
            args, env = _pg_args(settings)
            done = subprocess.run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", *args,
                 "--file", str(partial), str(settings["NAME"])],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(path: Path) -> None:
    """Replace the current database's contents with the backup at `path`.

    The backup must come from the same engine. On PostgreSQL the restore runs in one
    transaction: if it fails, nothing changes."""
    path = path.resolve()
    engine = engine_of_file(path)
    if engine != current_engine():
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"备份文件来自 {names[engine]}，当前数据库是 {names[current_engine()]}，不能恢复到不同的数据库"
        )
    from django.core.cache import cache

    cache.clear()  # cached figures describe the database being replaced
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "django_migrations" not in tables:
                raise BackupError(
                    f"{path} 是 SQLite 数据库，但不是底线系统的备份（没有 django_migrations 表）"
                )
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    settings = connection.settings_dict
    connections.close_all()
    args, env = _pg_args(settings)
    done = subprocess.run(
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
         "--single-transaction", "--exit-on-error", *args, "--dbname", str(settings["NAME"]), str(path)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败，数据库未改变：{done.stderr.strip()}")
