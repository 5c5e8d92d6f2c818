"""Typed readers for settings taken from the environment, and the local `.env` file.

Each reader fails loudly with ImproperlyConfigured naming the variable and what it expects,
so a bad deployment stops at start-up instead of misbehaving at the first request. The entry
points (manage.py, wsgi.py, asgi.py) turn that error into one line on stderr.

The settings read only the process environment. The entry points first add what the
checkout's `.env` holds (the development configuration that `make setup` writes), without
replacing a variable already set: the environment always wins over the file. The test
settings do not read the file, so the suite never depends on it.
"""

from __future__ import annotations

import os
import re
import sys
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# The variables load_env_file() took from the file, so that an error about one of
# them says where its value came from.
_from_file: set[str] = set()


def load_env_file(path: Path = ENV_FILE) -> None:
    """Add the variables of the `.env` file at `path` (if there is one) to the environment;
    a variable already set, even to an empty value, keeps its value."""
    from dotenv import dotenv_values

    if not path.is_file():
        return
    for name, value in dotenv_values(path).items():
        if name in os.environ or value is None:
            continue
        os.environ[name] = value
        _from_file.add(name)


@contextmanager
def settings_or_exit(status: int = 1) -> Iterator[None]:
    """Run the block; if the settings fail to load in it (ImproperlyConfigured), print the
    reason as one line on stderr and exit with `status`, without a traceback.

    An ImproperlyConfigured raised once the settings are loaded is a program's own error and
    goes on up with its traceback.
    """
    try:
        yield
    except ImproperlyConfigured as error:
        from django.conf import settings

        if settings.configured:
            raise
        print(f"factcheck cannot start: {error}", file=sys.stderr)
        raise SystemExit(status) from None


def _given(name: str, raw: str) -> str:
    where = " (from .env)" if name in _from_file else ""
    return f"{name}={raw!r}{where}"


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
        f"{_given(name, raw)} is not a boolean; use 1/0, true/false, yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{_given(name, raw)} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{_given(name, raw)} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, in any case; `default` when unset or empty."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    for choice in choices:
        if choice.casefold() == raw.strip().casefold():
            return choice
    raise ImproperlyConfigured(f"{_given(name, raw)} is not one of {', '.join(choices)}.")


def env_url(name: str, default: str = "", *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An absolute URL with one of `schemes`; `default` when unset or empty."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    parts = urlsplit(value)
    # unix:///path/to/socket names no host, only a path.
    where = parts.path if parts.scheme == "unix" else parts.netloc
    if parts.scheme not in schemes or not where:
        raise ImproperlyConfigured(
            f"{_given(name, raw)} is not an absolute URL: use one that starts with "
            f"{' or '.join(f'{scheme}://' for scheme in schemes)}."
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name such as Europe/Paris; `default` when unset or empty."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        zoneinfo.ZoneInfo(raw.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{_given(name, raw)} is not a time zone: use a name such as UTC or Europe/Paris."
        ) from None
    return raw.strip()


def env_email(name: str, default: str) -> str:
    """An e-mail address, bare (desk@example.org) or with a name
    (Fact desk <desk@example.org>); `default` when unset or empty."""
    from email.utils import parseaddr

    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip()
    _, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if not local or not domain or any(c.isspace() for c in address) or "\n" in value:
        raise ImproperlyConfigured(
            f"{_given(name, raw)} is not an e-mail address: use one such as "
            "desk@example.org or 'Fact desk <desk@example.org>'."
        )
    return value


_RATE = re.compile(r"\d+/(second|minute|hour|day|s|m|h|d)")


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: NUMBER/second|minute|hour|day."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    if not _RATE.fullmatch(raw.strip()):
        raise ImproperlyConfigured(
            f"{_given(name, raw)} is not a rate: use a number of requests per second, "
            "minute, hour or day, such as 120/minute."
        )
    return raw.strip()


def env_database(name: str, default: str) -> dict[str, Any]:
    """Parse a database URL (sqlite:///path or postgres://user@host:port/name)."""
    import dj_database_url

    raw = os.environ.get(name) or default
    if not raw.startswith(("sqlite:", "postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"{_given(name, raw)} is not supported: use sqlite:///PATH or "
            "postgres://USER@HOST:PORT/NAME."
        )
    try:
        config = dj_database_url.parse(raw)
    except Exception as error:  # the library raises several types for malformed URLs
        raise ImproperlyConfigured(f"{_given(name, raw)} is malformed: {error}") from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{_given(name, raw)} names no database.")
    return dict(config)
