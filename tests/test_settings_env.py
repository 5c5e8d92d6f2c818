"""Configuration: every variable the settings read is documented, a malformed one stops
start-up with one line naming it, and the local `.env` fills in only what the environment
leaves unset, for the project's entry points and never for the test settings."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck import env

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "factcheck" / "settings.py").read_text()
README = (ROOT / "README.md").read_text()

# Every `env_*("NAME"` call in the settings.
READ_BY_SETTINGS = sorted(set(re.findall(r"\benv_\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS)))
# Variables the README's table documents that `make run` reads, not the settings.
MAKE_ONLY = {"PORT", "DEMO_PASSWORD"}


def configuration_table() -> set[str]:
    """The variables named in the first column of the README's configuration table."""
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", first))
    return names


def test_the_settings_read_what_this_test_looks_for() -> None:
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TIME_ZONE", "LOG_LEVEL"} <= set(
        READ_BY_SETTINGS
    )
    # A variable read some other way would escape the check below.
    assert "os.environ" not in SETTINGS and "getenv" not in SETTINGS


def test_every_variable_the_settings_read_is_in_the_readme_table() -> None:
    missing = [name for name in READ_BY_SETTINGS if name not in configuration_table()]
    assert not missing, f"README.md's configuration table lacks {missing}"


def test_the_readme_table_lists_no_variable_nothing_reads() -> None:
    stale = configuration_table() - set(READ_BY_SETTINGS) - MAKE_ONLY
    assert not stale, f"README.md documents {stale}, which nothing reads"


# --- The settings, evaluated afresh with a given environment ---------------------------------


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment where none of the settings' variables is set but a working database,
    a key and HTTPS off."""
    for name in READ_BY_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-a-secret")
    monkeypatch.setenv("HTTPS", "0")
    return monkeypatch


def load_settings(module: str = "settings") -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "factcheck" / f"{module}.py"))


MALFORMED = [
    ("DEBUG", "maybe", "is not a boolean; use 1/0, true/false, yes/no or on/off"),
    ("HTTPS", "sometimes", "is not a boolean"),
    ("DATABASE_URL", "mysql://root@localhost/x", "is not supported: use sqlite:///PATH"),
    ("DATABASE_URL", "postgres://", "names no database"),
    ("CSRF_TRUSTED_ORIGINS", "desk.example.org", "must start with http:// or https://"),
    ("REVIEW_LEASE_MINUTES", "soon", "is not a whole number"),
    ("REVIEW_LEASE_MINUTES", "0", "must be at least 1"),
    ("MAX_REQUEST_BYTES", "10", "must be at least 1024"),
    ("TIME_ZONE", "Mars/Olympus_Mons", "is not a time zone: use a name such as UTC"),
    ("LOG_LEVEL", "loud", "is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("API_WRITE_RATE", "lots", "is not a rate"),
    ("PUBLIC_BASE_URL", "desk.example.org", "is not an absolute URL: use one that starts"),
    ("PUBLISHER_URL", "ftp://example.org/", "is not an absolute URL"),
    ("REDIS_URL", "localhost:6379", "redis:// or rediss:// or unix://"),
]


@pytest.mark.parametrize(("name", "value", "expected"), MALFORMED)
def test_a_malformed_variable_is_named_with_what_it_expects(
    environment: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"{name}") and expected in message
    assert "\n" not in message


def test_secret_key_is_required_without_debug_and_says_how_to_get_one(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.delenv("SECRET_KEY")
    with pytest.raises(
        ImproperlyConfigured, match=r"SECRET_KEY must be set .* `make setup` writes a .env"
    ):
        load_settings()


def test_well_formed_values_are_taken(environment: pytest.MonkeyPatch) -> None:
    for name, value in {
        "TIME_ZONE": "Europe/Paris",
        "LOG_LEVEL": "warning",
        "API_WRITE_RATE": "30/hour",
        "PUBLIC_BASE_URL": "https://desk.example.org/",
        "REDIS_URL": "unix:///run/redis.sock",
    }.items():
        environment.setenv(name, value)
    loaded = load_settings()
    assert loaded["TIME_ZONE"] == "Europe/Paris"
    assert loaded["LOGGING"]["root"]["level"] == "WARNING"
    assert loaded["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]["writes"] == "30/hour"
    assert loaded["FACTCHECK_PUBLIC_BASE_URL"] == "https://desk.example.org"
    assert loaded["CACHES"]["default"]["LOCATION"] == "unix:///run/redis.sock"


def test_links_follow_the_request_unless_public_base_url_is_set(
    environment: pytest.MonkeyPatch,
) -> None:
    loaded = load_settings()
    assert loaded["FACTCHECK_PUBLIC_BASE_URL"] == "" and loaded["FACTCHECK_PUBLISHER_URL"] == ""


# --- .env --------------------------------------------------------------------------------------


@pytest.fixture
def dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(env, "_from_file", set())
    # load_env_file writes into os.environ: give it a copy that the test throws away.
    monkeypatch.setattr(os, "environ", os.environ.copy())
    for name in ("FACTCHECK_T_FROM_FILE", "FACTCHECK_T_SET", "FACTCHECK_T_EMPTY"):
        os.environ.pop(name, None)
    path = tmp_path / ".env"
    path.write_text(
        "# a comment\nFACTCHECK_T_FROM_FILE=from-file\nFACTCHECK_T_SET=from-file\n"
        "FACTCHECK_T_EMPTY=from-file\n"
    )
    return path


def test_env_file_fills_in_what_the_environment_leaves_unset(dotenv: Path) -> None:
    os.environ["FACTCHECK_T_SET"] = "from-environment"
    os.environ["FACTCHECK_T_EMPTY"] = ""
    env.load_env_file(dotenv)
    assert os.environ["FACTCHECK_T_FROM_FILE"] == "from-file"
    assert os.environ["FACTCHECK_T_SET"] == "from-environment"
    # Set to nothing is set: the file does not override an explicit empty value.
    assert os.environ["FACTCHECK_T_EMPTY"] == ""


def test_a_missing_env_file_is_no_error(tmp_path: Path) -> None:
    env.load_env_file(tmp_path / "absent.env")


def test_a_malformed_value_from_the_env_file_says_where_it_came_from(
    dotenv: Path,
) -> None:
    dotenv.write_text("FACTCHECK_T_FROM_FILE=maybe\n")
    env.load_env_file(dotenv)
    with pytest.raises(ImproperlyConfigured, match=r"FACTCHECK_T_FROM_FILE='maybe' \(from \.env\)"):
        env.env_bool("FACTCHECK_T_FROM_FILE")


def test_the_settings_themselves_read_no_env_file(
    environment: pytest.MonkeyPatch,
) -> None:
    """So the suite (factcheck.test_settings) never depends on a developer's .env."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the settings read a .env file")

    import dotenv as library

    environment.setattr(env, "load_env_file", refuse)
    environment.setattr(library, "dotenv_values", refuse)
    environment.setattr(library, "load_dotenv", refuse)
    load_settings()
    load_settings("test_settings")


def test_env_file_is_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in ignored


# --- What a person sees: one line, no traceback -------------------------------------------------


def clean_environment(**given: str) -> dict[str, str]:
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**kept, **given}


def test_manage_py_stops_with_one_line_naming_the_variable() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(DEBUG="maybe"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "factcheck cannot start: DEBUG='maybe' is not a boolean; "
        "use 1/0, true/false, yes/no or on/off.\n"
    )


def test_the_wsgi_application_stops_with_one_line_naming_the_variable() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import factcheck.wsgi"],
        cwd=ROOT,
        env=clean_environment(DEBUG="0", SECRET_KEY="", DATABASE_URL="sqlite:///:memory:"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # 3: gunicorn stops rather than booting worker after worker (factcheck/wsgi.py).
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("factcheck cannot start: SECRET_KEY must be set")
