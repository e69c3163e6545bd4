"""The databases the harness builds, reuses and drops: PostgreSQL databases on one server,
or (smoke only) SQLite files in a temporary directory. A migrated empty database serves
as a template, so that each further database costs a copy, not a `dixian migrate`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DIXIAN = [sys.executable, str(ROOT / "manage.py")]


def dixian(args: list[str], url: str, *, quiet: bool = False) -> float:
    """Run `dixian ARGS` against `url`; returns the seconds it took."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "dixian.settings"}
    started = time.monotonic()
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([*DIXIAN, *args], check=True, cwd=ROOT, env=env, stdout=out)
    return time.monotonic() - started


@dataclass
class Demo:
    households: int
    persons: int
    demo_users: int


@dataclass
class Databases:
    """`vendor` is "postgresql" or "sqlite"; PostgreSQL names are database names on the
    server of `server_url`, SQLite names are files in `directory`."""

    vendor: str
    server_url: str = ""
    directory: Path | None = None
    _template: str | None = field(default=None, repr=False)

    @classmethod
    def postgres(cls, url: str) -> tuple[Databases, str]:
        """The server of a postgres:// URL and the database it names."""
        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        server = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        return cls("postgresql", server_url=server), name

    @classmethod
    def sqlite_tmp(cls) -> Databases:
        return cls("sqlite", directory=Path(tempfile.mkdtemp(prefix="dixian-bench-")))

    def url(self, name: str) -> str:
        if self.vendor == "postgresql":
            return f"{self.server_url}/{name}"
        assert self.directory is not None
        return f"sqlite:///{self.directory / name}.sqlite3"

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(f"{self.server_url}/postgres", autocommit=True)

    def exists(self, name: str) -> bool:
        if self.vendor == "postgresql":
            with self._admin() as admin:
                return (
                    admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                    is not None
                )
        assert self.directory is not None
        return (self.directory / f"{name}.sqlite3").exists()

    def drop(self, name: str) -> None:
        if self.vendor == "postgresql":
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        assert self.directory is not None
        (self.directory / f"{name}.sqlite3").unlink(missing_ok=True)

    def create(self, name: str, *, template: str | None = None) -> None:
        """An empty database, or a copy of `template`."""
        if self.vendor == "postgresql":
            with self._admin() as admin:
                suffix = f' TEMPLATE "{template}"' if template else ""
                admin.execute(f'CREATE DATABASE "{name}"{suffix}')
            return
        assert self.directory is not None
        target = self.directory / f"{name}.sqlite3"
        if template:
            shutil.copyfile(self.directory / f"{template}.sqlite3", target)
        else:
            sqlite3.connect(target).close()

    def demo_counts(self, name: str) -> Demo | None:
        """What the database holds (None when it is not a migrated dixian database)."""
        sql = (
            "SELECT (SELECT count(*) FROM registry_household), (SELECT count(*) FROM registry_person), "
            "(SELECT count(*) FROM accounts_user WHERE username IN ('county', 'township'))"
        )
        try:
            if self.vendor == "postgresql":
                import psycopg

                with psycopg.connect(self.url(name)) as conn:
                    row = conn.execute(sql).fetchone()
            else:
                assert self.directory is not None
                with sqlite3.connect(self.directory / f"{name}.sqlite3") as conn:
                    row = conn.execute(sql).fetchone()
        except Exception:  # noqa: BLE001 - no such table: not a dixian database yet
            return None
        assert row is not None
        return Demo(*row)

    def template(self, prefix: str) -> str:
        """A migrated empty database `{prefix}_tpl`, made once per harness run."""
        if self._template is None:
            name = f"{prefix}_tpl"
            self.drop(name)
            self.create(name)
            print(f"   migrating the template database {name} …", flush=True)
            dixian(["migrate", "--no-input", "-v0"], self.url(name))
            self._template = name
        return self._template

    def ensure_demo(self, name: str, households: int, *, prefix: str, owned: bool) -> dict:
        """Reuse `name` when it holds exactly the demo of `households` households (after
        `dixian migrate`, which applies any new migration), else load it with `dixian demo`.
        `owned` databases (the harness's own) are dropped and copied from the template
        when they hold something else; the database named by DATABASE_URL is only migrated
        and reloaded (`demo --reset`)."""
        info: dict = {"database": name, "households": households}
        if not self.exists(name):
            self.create(name, template=self.template(prefix))
        found = self.demo_counts(name)
        if found is not None and found.households not in (0, households) and owned:
            self.drop(name)
            self.create(name, template=self.template(prefix))
            found = self.demo_counts(name)
        info["migrate_s"] = round(dixian(["migrate", "--no-input", "-v0"], self.url(name)), 2)
        found = self.demo_counts(name)
        if found is not None and found.households == households and found.demo_users == 2:
            info.update(reused=True, persons=found.persons)
            print(f"   {name}: reusing {households:,} households, {found.persons:,} persons", flush=True)
            return info
        args = ["demo", "--households", str(households)]
        if found is not None and found.households:
            args.append("--reset")
        print(f"   {name}: dixian {' '.join(args)} …", flush=True)
        info["demo_s"] = round(dixian(args, self.url(name), quiet=True), 2)
        found = self.demo_counts(name)
        assert found is not None and found.households == households, f"{name}: demo did not load"
        info.update(reused=False, persons=found.persons)
        print(f"   {name}: loaded in {info['demo_s']:.1f} s ({found.persons:,} persons)", flush=True)
        return info

    def cleanup(self) -> None:
        if self._template is not None:
            self.drop(self._template)
            self._template = None
        if self.vendor == "sqlite" and self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
