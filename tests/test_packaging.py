"""`pip install .` ships what the pages need: the wheel holds every template, static file and
schema, and an installed copy serves pages from outside the checkout (issue 17).

The wheel is built from a copy of the sources in a temporary folder, with the project's own
setuptools (a dev dependency) and no package index, so no build folder lands in the checkout
and no network is needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: pyproject.toml names README.md as the long description.
BUILD_INPUTS = ("pyproject.toml", "README.md", "factcheck", "annotations", "templates")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def files_under(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def expected_wheel_entries() -> dict[str, Path]:
    """Where each file of the checkout must be inside the wheel."""
    entries = {}
    # pyproject.toml maps the top-level templates/ folder to factcheck/templates/.
    for path in files_under(ROOT / "templates"):
        entries[f"factcheck/templates/{path.relative_to(ROOT / 'templates').as_posix()}"] = path
    for folder in ("annotations/static", "annotations/schemas"):
        for path in files_under(ROOT / folder):
            entries[path.relative_to(ROOT).as_posix()] = path
    # The packages are listed one by one in pyproject.toml: a package left out of that list
    # shows here as missing modules.
    for package in ("factcheck", "annotations"):
        for path in files_under(ROOT / package):
            if path.suffix == ".py":
                entries[path.relative_to(ROOT).as_posix()] = path
    return entries


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = work / "dist"
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--disable-pip-version-check",
        "--quiet",
        "--wheel-dir",
        str(dist),
        str(source),
    ]
    built = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert built.returncode == 0, f"building the wheel failed:\n{built.stdout}\n{built.stderr}"
    wheels = list(dist.glob("factcheck-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_wheel_holds_every_template_static_file_schema_and_module(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        expected = expected_wheel_entries()
        missing = sorted(name for name in expected if name not in names)
        assert not missing, f"missing from the wheel: {missing}"
        for name, path in expected.items():
            assert archive.read(name) == path.read_bytes(), name
    assert any(name.endswith(".html") for name in expected)
    assert any(name.startswith("annotations/static/") for name in expected)
    # Only the two packages (and the wheel's metadata) at the top level of site-packages.
    top_level = {name.split("/", 1)[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {
        "factcheck",
        "annotations",
    }


# Runs in the installed copy, with the production settings: migrate, collectstatic, sign in,
# the annotation page and one of its scripts through the whole middleware stack.
INSTALLED_COPY_CHECK = r"""
import re
import sys
from pathlib import Path

import django

site = Path(sys.argv[1]).resolve()
django.setup()

import annotations
import factcheck

for module in (factcheck, annotations):
    assert Path(module.__file__).resolve().is_relative_to(site), module.__file__

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client
from django.test.utils import setup_test_environment

from annotations.models import Article

assert not settings.DEBUG

templates = site / "factcheck" / "templates"
names = [path.relative_to(templates).as_posix() for path in templates.rglob("*.html")]
assert names
for name in names:
    origin = Path(get_template(name).origin.name).resolve()
    assert origin.is_relative_to(site), (name, origin)

static = site / "annotations" / "static"
files = [path.relative_to(static).as_posix() for path in static.rglob("*") if path.is_file()]
assert files
for name in files:
    found = finders.find(name)
    assert found and Path(found).resolve().is_relative_to(site), (name, found)

call_command("migrate", verbosity=0)
call_command("collectstatic", "--noinput", verbosity=0)
setup_test_environment()

get_user_model().objects.create_user("reader", password="a long enough passphrase")
article = Article.objects.create(title="Packaged", body="An installed copy renders this.")
client = Client()
assert client.get("/login/").status_code == 200
signed_in = client.post(
    "/login/", {"username": "reader", "password": "a long enough passphrase"}
)
assert signed_in.status_code == 302, signed_in.status_code

page = client.get(f"/articles/{article.pk}/")
assert page.status_code == 200, page.status_code
html = page.content.decode()
assert "An installed copy renders this." in html
assert 'id="page-data"' in html
script = re.search(r'src="(/static/annotations/article-page\.[0-9a-f]+\.js)"', html)
assert script, "the page names no hashed article-page.js"
served = client.get(script.group(1))
assert served.status_code == 200, served.status_code
assert b"page-data" in b"".join(served.streaming_content)
print("installed copy OK")
"""


def test_an_installed_copy_serves_pages_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "run"
    elsewhere.mkdir()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DEBUG", "PYTHONPATH", "PYTHONSAFEPATH"}
    }
    environment.update(
        {
            # The unpacked wheel comes before the project's environment, whose editable
            # install would otherwise import the checkout.
            "PYTHONPATH": str(site),
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "SECRET_KEY": "packaging-test-only-not-a-secret",
            "HTTPS": "0",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    checked = subprocess.run(
        [sys.executable, "-c", INSTALLED_COPY_CHECK, str(site)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, f"{checked.stdout}\n{checked.stderr}"
    assert "installed copy OK" in checked.stdout
