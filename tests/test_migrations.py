"""The migration history: one clean initial migration that builds a fresh database on both
engines, and models that need no further migration."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_models_need_no_new_migration() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_history_is_one_initial_migration() -> None:
    folder = REPO / "annotations" / "migrations"
    assert sorted(path.name for path in folder.glob("0*.py")) == ["0001_initial.py"]


def migrate(database_url: str, *target: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env["DJANGO_SETTINGS_MODULE"] = "factcheck.test_settings"
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", *target],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def migrates_there_and_back(database_url: str) -> None:
    """A fresh database migrates; the app's migration is undone (its triggers, search
    tables and functions with it) and done again."""
    done = migrate(database_url)
    assert done.returncode == 0, done.stderr
    assert "Applying annotations.0001_initial... OK" in done.stdout
    undone = migrate(database_url, "annotations", "zero")
    assert undone.returncode == 0, undone.stderr
    assert "Unapplying annotations.0001_initial... OK" in undone.stdout
    again = migrate(database_url)
    assert again.returncode == 0, again.stderr
    assert "Applying annotations.0001_initial... OK" in again.stdout


def test_a_fresh_sqlite_database_migrates(tmp_path: Path) -> None:
    migrates_there_and_back(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")


@pytest.mark.postgres(reason="migrates a new PostgreSQL database (DATABASE_URL)")
def test_a_fresh_postgresql_database_migrates() -> None:
    settings = connection.settings_dict
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
    }
    name = f"factcheck_fresh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user = settings["USER"] or "postgres"
        host = settings["HOST"] or "127.0.0.1"
        port = settings["PORT"] or 5432
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        migrates_there_and_back(f"postgres://{user}{password}@{host}:{port}/{name}")
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
