from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dixian.env import database_from_url, env_bool, env_int, secret_key_file


def test_bool_accepts_the_usual_spellings_and_rejects_others(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_int_fails_loudly(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_NUM", 1)


def test_sqlite_url_relative_and_absolute(tmp_path):
    rel = database_from_url("sqlite:///var/x.sqlite3", tmp_path)
    assert Path(rel["NAME"]) == tmp_path / "var" / "x.sqlite3"
    absolute = database_from_url(f"sqlite:///{tmp_path}/y.sqlite3", Path("/nowhere"))
    assert Path(absolute["NAME"]) == tmp_path / "y.sqlite3"


def test_postgres_url():
    db = database_from_url("postgres://u:p%40ss@db.example:5433/dixian?sslmode=require", Path("."))
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "u",
        "p@ss",
        "db.example",
        "5433",
        "dixian",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://x/y", Path("."))


def test_secret_key_file_is_made_once_and_private(tmp_path):
    path = tmp_path / "secret_key"
    key = secret_key_file(path)
    assert secret_key_file(path) == key and len(key) >= 32
    assert oct(path.stat().st_mode & 0o777) == "0o600"
