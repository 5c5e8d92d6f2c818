"""Roles, users, the demo set-up of `make run`, and configuration from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import permissions
from annotations.models import Article
from annotations.roles import Role

ROOT = Path(__file__).resolve().parent.parent
User = get_user_model()


@pytest.mark.django_db
def test_roles_exist_after_migrate_with_their_permissions():
    groups = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert {"editor", "reviewer", "admin"} <= set(groups)
    assert "change_claim" not in groups["editor"]
    assert "change_claim" in groups["reviewer"]
    assert {"add_article", "change_verdict", "change_user"} <= groups["admin"]


@pytest.mark.django_db
def test_create_user_command_creates_and_changes_roles(monkeypatch):
    monkeypatch.setenv("FACTCHECK_PASSWORD", "a-long-enough-passphrase")
    call_command("create_user", "alice", role="editor", stdout=StringIO())
    alice = User.objects.get(username="alice")
    assert alice.check_password("a-long-enough-passphrase")
    assert permissions.role_of(alice) == Role.EDITOR and not alice.is_staff

    call_command("create_user", "alice", role="reviewer", stdout=StringIO())
    alice = User.objects.get(username="alice")
    assert permissions.role_of(alice) == Role.REVIEWER and alice.is_staff
    assert alice.groups.count() == 1

    call_command("create_user", "alice", role="none", stdout=StringIO())
    alice = User.objects.get(username="alice")
    assert permissions.role_of(alice) is None and not alice.is_staff


@pytest.mark.django_db
def test_create_user_refuses_weak_password_and_bad_role(monkeypatch):
    monkeypatch.setenv("FACTCHECK_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "bob", role="editor", stdout=StringIO())
    assert not User.objects.filter(username="bob").exists()
    with pytest.raises(CommandError):
        call_command("create_user", "bob", role="superhero", stdout=StringIO())


@pytest.mark.django_db
def test_create_user_without_password_or_terminal_says_what_to_do(monkeypatch):
    monkeypatch.delenv("FACTCHECK_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", StringIO())
    with pytest.raises(CommandError, match="FACTCHECK_PASSWORD"):
        call_command("create_user", "carol", role="editor", stdout=StringIO())


@pytest.mark.django_db
def test_setup_demo_is_idempotent(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    first = StringIO()
    call_command("setup_demo", stdout=first, stderr=StringIO())
    assert "demo users created: editor, editor2, reviewer, reviewer2, admin" in first.getvalue()
    state = (Article.objects.count(), User.objects.count(), Group.objects.count())

    monkeypatch.delenv("DEMO_PASSWORD")
    second = StringIO()
    call_command("setup_demo", stdout=second, stderr=StringIO())
    assert (Article.objects.count(), User.objects.count(), Group.objects.count()) == state
    assert "already there" in second.getvalue()
    assert User.objects.get(username="editor").check_password("demo-pass-for-tests")
    roles = {u.username: permissions.role_of(u) for u in User.objects.all()}
    assert roles == {
        "editor": Role.EDITOR,
        "editor2": Role.EDITOR,
        "reviewer": Role.REVIEWER,
        "reviewer2": Role.REVIEWER,
        "admin": Role.ADMIN,
    }


@pytest.mark.django_db
def test_setup_demo_generates_and_prints_a_password_once(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("setup_demo", stdout=out, stderr=StringIO())
    line = next(line for line in out.getvalue().splitlines() if "shown once" in line)
    password = line.rsplit(" ", 1)[1]
    assert len(password) >= 12
    assert User.objects.get(username="reviewer").check_password(password)
    # Printed last, where a person starting `make run` sees it before the server's lines.
    assert out.getvalue().splitlines()[-1] == line
    again = StringIO()
    call_command("setup_demo", stdout=again, stderr=StringIO())
    assert "shown once" not in again.getvalue()


@pytest.mark.django_db
def test_demo_password_given_later_sets_every_demo_users_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("setup_demo", stdout=StringIO(), stderr=StringIO())
    reviewer = User.objects.get(username="reviewer")
    User.objects.filter(username="editor2").delete()

    monkeypatch.setenv("DEMO_PASSWORD", "chosen-later")
    out = StringIO()
    call_command("setup_demo", stdout=out, stderr=StringIO())
    assert "demo users created: editor2" in out.getvalue()
    assert "password set from DEMO_PASSWORD" in out.getvalue()
    assert "shown once" not in out.getvalue()
    for name in ("editor", "editor2", "reviewer", "reviewer2", "admin"):
        assert User.objects.get(username=name).check_password("chosen-later"), name
    assert User.objects.get(username="reviewer").pk == reviewer.pk


# --- Settings: run manage.py in a child process with a given environment ----------------------


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "HTTPS", "SECRET_KEY"}
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "q7Vf2kLm9Rt4Wz8Xc1Bn6Hj3Ds5Ga0Pe-production-grade-secret-value",
    "ALLOWED_HOSTS": "desk.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://desk.example.org",
    "DATABASE_URL": "postgres://factcheck@127.0.0.1:5432/factcheck",
}


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://root@localhost/x", "DATABASE_URL"),
        ("DATABASE_URL", "postgres://", "DATABASE_URL"),
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("CSRF_TRUSTED_ORIGINS", "desk.example.org", "CSRF_TRUSTED_ORIGINS"),
        ("REVIEW_LEASE_MINUTES", "soon", "REVIEW_LEASE_MINUTES"),
        ("SECRET_KEY", "", "SECRET_KEY must be set"),
    ],
)
def test_malformed_configuration_stops_start_up_naming_the_variable(name, value, message):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_sqlite_is_the_default_database():
    result = manage(
        "shell", "-c", "from django.db import connection; print(connection.vendor)", DEBUG="1"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sqlite")


def python(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a child Python process with the production settings (and `env`)."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_loading_the_wsgi_application_opens_no_database_connection():
    """gunicorn --preload (docs/deployment.md) loads the app once, then forks the workers: a
    connection opened before the fork would be shared by every worker."""
    script = (
        "from factcheck.wsgi import application\n"
        "from django.db import connections\n"
        "print(sum(c.connection is not None for c in connections.all(initialized_only=True)))\n"
    )
    # Nothing listens on port 9: any attempt to connect would fail loudly.
    result = python(script, DATABASE_URL="postgres://factcheck@127.0.0.1:9/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    """The workers gunicorn forks after --preload must not copy the master's objects by
    collecting them (factcheck/wsgi.py): everything loaded is frozen out of collection."""
    script = (
        "import gc\n"
        "before = gc.get_freeze_count()\n"
        "from factcheck.wsgi import application\n"
        "print(before, gc.get_freeze_count())\n"
    )
    result = python(script)
    assert result.returncode == 0, result.stderr
    before, after = map(int, result.stdout.split()[-2:])
    assert before == 0
    # Python, Django, DRF and the app: tens of thousands of objects.
    assert after > 10_000, after


def test_loading_the_wsgi_application_loads_what_workers_would_load_lazily():
    """factcheck/warmup.py: before the fork, the master holds the URLconf with the modules it
    imports, every language's translations and the project's compiled templates, so that
    the workers share them rather than each loading its own."""
    script = (
        "import sys\n"
        "from factcheck.wsgi import application\n"
        "from django.template import engines\n"
        "from django.test import Client\n"
        "from django.utils.translation import trans_real\n"
        "print(sorted(trans_real._translations))\n"
        "cache = engines['django'].engine.template_loaders[0].get_template_cache\n"
        "print('annotations/article_detail.html' in cache, 'base.html' in cache)\n"
        "loaded = set(sys.modules)\n"
        "assert Client().get('/healthz', HTTP_HOST='desk.example.org').status_code == 200\n"
        "print(sorted({name.split('.')[0] for name in set(sys.modules) - loaded}))\n"
    )
    # Nothing listens on port 9: the warm-up must not need the database.
    result = python(script, DATABASE_URL="postgres://factcheck@127.0.0.1:9/x", HTTPS="0")
    assert result.returncode == 0, result.stderr
    languages, templates, imported_by_a_request = result.stdout.strip().splitlines()[-3:]
    assert languages == "['en', 'fr']"
    assert templates == "True True"
    # A request still imports a few small modules (the session's serializer, say), but
    # nothing of the app, DRF or drf-spectacular: the URLconf was loaded with all of them.
    for package in ("annotations", "factcheck", "rest_framework", "drf_spectacular"):
        assert f"'{package}'" not in imported_by_a_request


@pytest.mark.django_db
def test_create_user_normalises_the_name_as_sign_in_does(monkeypatch, client):
    """A full-width name is stored as the sign-in page will read it (NFKC), so its owner can
    sign in; and it names the same account as its plain form, never a second one."""
    monkeypatch.setenv("FACTCHECK_PASSWORD", "a long enough passphrase")
    call_command("create_user", "ｅｄｉｔｏｒ", role="editor", stdout=StringIO())
    user = get_user_model().objects.get()
    assert user.username == "editor"
    answer = client.post(
        "/login/", {"username": "ｅｄｉｔｏｒ", "password": "a long enough passphrase"}
    )
    assert answer.status_code == 302, answer.content
    call_command("create_user", "editor", role="reviewer", stdout=StringIO())
    assert get_user_model().objects.count() == 1
