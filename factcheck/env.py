"""Typed readers for settings taken from the environment.

Each reader fails loudly with ImproperlyConfigured naming the variable, so a
bad deployment stops at start-up instead of misbehaving at the first request.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict[str, Any]:
    """Parse a database URL (sqlite:///path or postgres://user@host:port/name)."""
    import dj_database_url

    raw = os.environ.get(name) or default
    if not raw.startswith(("sqlite:", "postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not supported: use sqlite:///PATH or postgres://USER@HOST:PORT/NAME."
        )
    try:
        config = dj_database_url.parse(raw)
    except Exception as error:  # the library raises several types for malformed URLs
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: {error}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} names no database.")
    return dict(config)
