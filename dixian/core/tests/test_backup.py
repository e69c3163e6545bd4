"""`dixian backup` / `dixian restore`: a round trip gives back the same registry, on the
engine the suite runs on (SQLite by default, PostgreSQL under DATABASE_URL=postgres://…)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dixian.core import backup
from dixian.registry.models import Household, Person
from dixian.testing import factories as f

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _small_registry() -> None:
    village = f.village("360724100201", "东山A1村")
    for _ in range(3):
        household = f.HouseholdFactory(area=village)
        f.PersonFactory(household=household)
        f.PersonFactory(household=household, relation="子")
        f.IncomeFactory(household=household, year=2024)


def test_round_trip_gives_back_the_same_registry(tmp_path: Path, capsys) -> None:
    _small_registry()
    before = backup.registry_fingerprint()
    assert before.counts["registry.Person"] == 6
    file = tmp_path / "dixian.backup"

    call_command("backup", str(file))
    printed = capsys.readouterr().out
    assert f"sha256\t{before.sha256}" in printed

    # The county loses a household and someone edits a name after the backup ...
    Household.objects.order_by("pk").last().delete()
    Person.objects.filter(pk=Person.objects.order_by("pk").first().pk).update(name="改过的名字")
    assert backup.registry_fingerprint() != before

    # ... and the restore brings back exactly what was backed up.
    call_command("restore", str(file), "--no-input")
    after = backup.registry_fingerprint()
    assert after.counts == before.counts
    assert after.sha256 == before.sha256
    assert f"sha256\t{before.sha256}" in capsys.readouterr().out


def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    _small_registry()
    before = backup.registry_fingerprint()
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a backup")
    with pytest.raises(CommandError, match="不是底线系统的备份文件"):
        call_command("restore", str(bogus), "--no-input")
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(tmp_path / "missing.backup"), "--no-input")
    assert backup.registry_fingerprint() == before


def test_a_backup_of_the_other_engine_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.backup"
    if backup.current_engine() == "sqlite":
        other.write_bytes(backup.PGDUMP_MAGIC + b"\x01\x0e\x00 fake dump")
        expected = "备份文件来自 PostgreSQL，当前数据库是 SQLite"
    else:
        other.write_bytes(backup.SQLITE_MAGIC + b"\x00" * 100)
        expected = "备份文件来自 SQLite，当前数据库是 PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), "--no-input")


def test_restore_asks_before_overwriting(tmp_path: Path, monkeypatch) -> None:
    _small_registry()
    file = tmp_path / "dixian.backup"
    call_command("backup", str(file))
    Household.objects.order_by("pk").last().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(file))
    assert Household.objects.count() == 2
