"""`manage.py review_claim`: the same rules from the command line, with an exit status."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_claim

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: object) -> str:
    out = StringIO()
    call_command("review_claim", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_reviewer_approves_from_the_command_line(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    output = _run(claim.pk, "approve", "--as", "rev", "--comment", "Checked.")
    assert f"claim #{claim.pk}: submitted -> approved" in output
    claim.refresh_from_db()
    assert claim.status == "approved"
    event = claim.events.get(action="approve")
    assert event.actor == reviewer and event.comment == "Checked."


def test_nobody_approves_their_own_claim_from_the_command_line(reviewer):
    claim = make_claim(author=reviewer, status="submitted")
    with pytest.raises(CommandError, match="Nobody reviews their own claim"):
        _run(claim.pk, "approve", "--as", "rev")
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_a_stale_version_is_refused(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(CommandError, match="changed by someone else"):
        _run(claim.pk, "approve", "--as", "rev", "--version", claim.version - 1)
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_reject_without_a_comment_is_refused(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(CommandError, match="comment is required"):
        _run(claim.pk, "reject", "--as", "rev")


def test_a_wrong_state_is_refused(editor, reviewer):
    claim = make_claim(author=editor, status="approved")
    with pytest.raises(CommandError, match="cannot be approved"):
        _run(claim.pk, "approve", "--as", "rev")


def test_unknown_user_claim_and_action_are_refused(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        _run(claim.pk, "approve", "--as", "nobody")
    with pytest.raises(CommandError, match="No claim #999999"):
        _run(999999, "approve", "--as", "rev")
    with pytest.raises(CommandError):
        _run(claim.pk, "publish", "--as", "rev")


def test_a_draft_is_invisible_to_others(editor, reviewer):
    draft = make_claim(author=editor)
    with pytest.raises(CommandError, match="No claim"):
        _run(draft.pk, "submit", "--as", "rev")


def test_users_without_a_role_are_refused(editor, no_role_user):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(CommandError, match="has no role"):
        _run(claim.pk, "approve", "--as", "reader")


def test_refusal_exits_non_zero_with_the_reason_on_stderr(tmp_path):
    """A real process on a database of its own: what an operator's shell sees."""
    env = {
        "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    assert manage("migrate", "-v0").returncode == 0
    result = manage("review_claim", "1", "approve", "--as", "nobody-here")
    assert result.returncode == 1
    assert "CommandError: No user called 'nobody-here'" in result.stderr
