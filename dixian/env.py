"""Typed readers for settings that come from environment variables.

Every helper fails loudly (ImproperlyConfigured) on a value it cannot parse: a typo in
production configuration must stop the process, not fall back to a default silently.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"environment variable {name} is required")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key_file(path: Path) -> str:
    """Read the secret key kept at `path`, creating it (mode 0600) on first use."""
    if path.exists():
        key = path.read_text().strip()
        if len(key) < 32:
            raise ImproperlyConfigured(f"{path} holds a secret key shorter than 32 characters")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database_from_url(url: str, base_dir: Path) -> dict[str, Any]:
    """Translate a DATABASE_URL into a Django DATABASES entry.

    Accepts ``sqlite:///relative/or/absolute.sqlite3`` (relative to ``base_dir``),
    ``sqlite://:memory:`` and ``postgres://user:pass@host:port/name`` (also
    ``postgresql://``). Anything else is a configuration error.
    """
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        raw_path = unquote(parsed.path or parsed.netloc)
        if raw_path in (":memory:", "/:memory:") or parsed.netloc == ":memory:":
            name: str | Path = ":memory:"
        else:
            rel = raw_path[1:] if raw_path.startswith("/") and not raw_path.startswith("//") else raw_path
            path = Path(rel) if Path(rel).is_absolute() else base_dir / rel
            if raw_path.startswith("//"):
                path = Path(raw_path[1:])
            path.parent.mkdir(parents=True, exist_ok=True)
            name = path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        db_name = unquote(parsed.path.lstrip("/"))
        if not db_name:
            raise ImproperlyConfigured(f"DATABASE_URL {url!r} names no database")
        options: dict[str, Any] = {}
        for key, values in parse_qs(parsed.query).items():
            options[key] = values[-1]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme!r} is not supported (use sqlite:/// or postgres://)"
    )
