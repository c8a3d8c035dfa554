"""Typed helpers that read settings from the environment (DESIGN.md §4.10)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def _env_json_value(name: str) -> Any:
    """The parsed JSON of an environment variable, None when unset; a clear error when broken."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is geen geldige JSON: {error}") from None


def env_json(name: str, default: dict[str, Any]) -> dict[str, Any]:
    """A JSON object from the environment (e.g. storage options)."""
    parsed = _env_json_value(name)
    if parsed is None:
        return dict(default)
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} moet een JSON-object zijn")
    return parsed


def env_json_list(name: str) -> list[dict[str, Any]]:
    """A JSON list of objects (e.g. `MAAKSTAD_SSO_PROVIDERS`); empty when unset."""
    parsed = _env_json_value(name)
    if parsed is None:
        return []
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise ImproperlyConfigured(f"{name} moet een JSON-lijst van objecten zijn")
    return parsed


def database_from_url(url: str, *, sqlite_default: Path) -> dict[str, Any]:
    """Turn `DATABASE_URL` into a Django DATABASES entry.

    Empty: an SQLite file at `sqlite_default`. `sqlite:///path` or `postgres://user:pw@host:port/db`.
    SQLite runs in WAL mode with IMMEDIATE transactions so that writers queue instead of failing.
    """
    if not url:
        return _sqlite(str(sqlite_default))
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/") and not parsed.netloc:
            path = path[1:] if path.startswith("/./") else path
        return _sqlite(path or str(sqlite_default))
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": options.pop("test_name", None)},
        }
    raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}")


def _sqlite(path: str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


def mailers_from_url(url: str) -> dict[str, Any]:
    """`EMAIL_URL` to Django's MAILERS: console:// (default), locmem://, file:///dir,
    smtp://user:pw@host:port?tls=1 or smtps://..."""
    parsed = urlparse(url or "console://")
    backends = "django.core.mail.backends."
    if parsed.scheme == "console":
        config: dict[str, Any] = {"BACKEND": backends + "console.EmailBackend"}
    elif parsed.scheme == "locmem":
        config = {"BACKEND": backends + "locmem.EmailBackend"}
    elif parsed.scheme == "file":
        config = {
            "BACKEND": backends + "filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parsed.path)},
        }
    elif parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        config = {
            "BACKEND": backends + "smtp.EmailBackend",
            "OPTIONS": {
                "host": parsed.hostname or "localhost",
                "port": parsed.port or (465 if parsed.scheme == "smtps" else 25),
                "username": unquote(parsed.username or ""),
                "password": unquote(parsed.password or ""),
                "use_ssl": parsed.scheme == "smtps",
                "use_tls": query.get("tls", ["0"])[-1] in {"1", "true"},
                "timeout": 20,
            },
        }
    else:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parsed.scheme!r}")
    return {"default": config}
