"""The README's commands work as written, for a newcomer: in a copy of the checkout, after its
setup step (`make setup`, the part of `make run` that comes before the server), each command
of the README's shell blocks runs in a new shell whose environment has no DEBUG, SECRET_KEY or
DATABASE_URL, nothing but what the `.env` written by `make setup` gives.

The copy shares the project's virtual environment and has its own `.env` and `var/`, so the
developer's are never touched. What the test does that a newcomer would not, and why:

- The server that `make run` would start is started by the test, on a free port rather than
  8000, so as not to meet a server of the developer's; the commands' `127.0.0.1:8000` is
  replaced by that address.
- The placeholders the README declares are replaced by the values a person would type: the
  password `make setup` printed, the token the README's token request answered, a user name.
- `create_user` reads the password from FACTCHECK_PASSWORD, as the README says it does when
  there is no terminal to type it at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

# The README's commands this test does not run, by how they start, with the reason. A mark
# that matches no command fails the test, so the list cannot outlive the README.
NOT_RUN = {
    "make run": "serves until stopped: the test runs its setup step and serves the desk itself",
    "make test": "runs this whole suite",
    "make bench": "runs for minutes against PostgreSQL",
    "export DEBUG=0": "a production deployment: its database server and secret are the operator's",
    ".venv/bin/python manage.py migrate && .venv/bin/python manage.py collectstatic": (
        "the deployment's, on its PostgreSQL server"
    ),
    ".venv/bin/python manage.py check --deploy": (
        "needs the deployment's variables; tests/test_setup.py checks it with such values"
    ),
    ".venv/bin/gunicorn": "serves until stopped",
    ".venv/bin/python manage.py db_worker": "runs until stopped; tests/test_tasks.py runs it",
}

USER_NAME = "newcomer"
# Declared by the README ("Words in capitals are placeholders"); LONG_RANDOM_KEY appears only
# in the deployment's commands, which are not run.
NOT_RUN_PLACEHOLDERS = {"LONG_RANDOM_KEY"}
MAKE_RUN_ADDRESS = "http://127.0.0.1:8000"


def shell_commands(markdown: str) -> list[str]:
    """The commands of the ```sh blocks, in order, each continued line joined to the next."""
    commands: list[str] = []
    for block in re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", markdown, re.M | re.S):
        pending = ""
        for line in block.splitlines():
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            commands.append(re.sub(r"\s+", " ", pending + line).strip())
            pending = ""
    return commands


def not_run_because(command: str) -> str | None:
    for start, reason in NOT_RUN.items():
        if command.startswith(start):
            return reason
    return None


def declared_placeholders() -> set[str]:
    sentence = re.search(r"Words in capitals are placeholders[^:]*:(.*?)\.\s", README, re.S)
    assert sentence, "README.md no longer says which words are placeholders"
    return set(re.findall(r"`([A-Z][A-Z_]+)`", sentence.group(1)))


COMMANDS = shell_commands(README)


def test_every_mark_of_a_command_not_run_matches_a_command() -> None:
    unused = [start for start in NOT_RUN if not any(c.startswith(start) for c in COMMANDS)]
    assert not unused, f"NOT_RUN marks commands the README no longer has: {unused}"


def test_the_readme_writes_every_management_command_one_way() -> None:
    """`.venv/bin/python manage.py ...` works in a new shell; `python manage.py` needs an
    activated environment, which the README never asks for."""
    other_ways = re.findall(r"(?<!\.venv/bin/)\bpython3? (?:\./)?manage\.py", README)
    assert not other_ways, other_ways
    assert "runserver" not in README


def test_the_commands_that_run_use_only_declared_placeholders() -> None:
    values = {"USERNAME", "PASSWORD", "TOKEN"}
    assert declared_placeholders() == values | NOT_RUN_PLACEHOLDERS
    for command in COMMANDS:
        if not_run_because(command) is None:
            assert not NOT_RUN_PLACEHOLDERS & set(re.findall(r"[A-Z_]+", command)), command


# --- The newcomer's path ------------------------------------------------------------------------


def clean_environment(home: Path) -> dict[str, str]:
    """What a new shell has: no DEBUG, SECRET_KEY, DATABASE_URL or Django settings module."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the checkout without the developer's environment, database or .env, with the
    project's virtual environment linked in."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("needs the project's virtual environment (make install)")
    for tool in ("make", "curl"):
        assert shutil.which(tool), f"the README's commands need {tool}"
    copy = tmp_path / "factcheck"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", ".env", "__pycache__", "*.pyc", ".*_cache", ".hypothesis",
            "*.egg-info", "build", "results",
        ),
    )  # fmt: skip
    (copy / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    (tmp_path / "home").mkdir()
    return copy


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def serving(checkout: Path) -> Iterator[str]:
    """The desk served from the copy as `make run` serves it, at the address returned."""
    port = free_port()
    log = (checkout.parent / "server.log").open("w")
    process = subprocess.Popen(
        [".venv/bin/python", "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=checkout,
        env=clean_environment(checkout.parent / "home"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{address}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise AssertionError(
                        "the server did not start:\n" + (checkout.parent / "server.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_every_readme_command_works_as_written_after_make_setup(checkout: Path) -> None:
    env = clean_environment(checkout.parent / "home")
    # -o: the stamp of the shared environment is taken as it is, never reinstalled from here.
    setup = run("make -o .venv/.installed setup", checkout, env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert (checkout / ".env").is_file() and (checkout / "var" / "factcheck.sqlite3").is_file()
    # The generated password is the last line, the last a person reads before the server's.
    last = setup.stdout.strip().splitlines()[-1]
    assert "password (generated, shown once)" in last, setup.stdout
    placeholders = {"USERNAME": USER_NAME, "PASSWORD": last.rsplit(" ", 1)[1]}

    with serving(checkout) as address:
        ran = 0
        for written in COMMANDS:
            if not_run_because(written) is not None:
                continue
            command = written.replace(MAKE_RUN_ADDRESS, address)
            for name, value in placeholders.items():
                command = re.sub(rf"\b{name}\b", value, command)
            assert "TOKEN" not in command, f"no token was asked for before: {written}"
            given = {**env, "FACTCHECK_PASSWORD": "a long enough passphrase"}
            result = run(command, checkout, given if "create_user" in command else env)
            report = f"{written}\n-> {result.returncode}\n{result.stdout[-2000:]}{result.stderr}"
            assert result.returncode == 0, report
            assert "Traceback" not in result.stderr, report
            if written.startswith("curl"):
                answer = json.loads(result.stdout)
                assert "error" not in answer, report
                if isinstance(answer, dict) and "token" in answer:
                    placeholders["TOKEN"] = answer["token"]
            ran += 1
    assert ran >= 8, f"only {ran} commands ran"

    # The WSGI application a server loads reads the same .env ...
    loaded = run(".venv/bin/python -c 'import factcheck.wsgi'", checkout, env)
    assert loaded.returncode == 0, loaded.stderr
    # ... and a variable set in the environment wins over it.
    overridden = run(".venv/bin/python manage.py check", checkout, {**env, "DEBUG": "maybe"})
    assert overridden.returncode == 1
    assert overridden.stderr.startswith("factcheck cannot start: DEBUG='maybe'"), overridden.stderr
