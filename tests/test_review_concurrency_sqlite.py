""" "Review next" under SQLite's real configuration: twenty threads, each with its own
connection, to a database file.

The suite's SQLite test database lives in memory with a shared cache, where concurrent
writers fail at once with "database table is locked" instead of waiting for the lock, so
this race runs in a separate process on a temporary file database, migrated for the
purpose, with the settings production uses (IMMEDIATE transactions, a busy timeout, WAL).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite variant of the review-next race"
)

RACE = textwrap.dedent(
    """
    import json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from annotations import services
    from annotations.roles import Role
    from tests.factories import ArticleFactory, make_claim, make_user

    call_command("migrate", verbosity=0)
    article = ArticleFactory()
    editor = make_user(Role.EDITOR, "writer")
    reviewers = [make_user(Role.REVIEWER, f"reviewer{n:02}") for n in range(20)]
    for reviewer in reviewers:
        make_claim(author=reviewer, article=article, status="submitted")
        make_claim(author=editor, article=article, status="submitted")
    connection.close()

    barrier = threading.Barrier(len(reviewers), timeout=30)
    results = [None] * len(reviewers)

    def take(index, reviewer):
        try:
            barrier.wait()
            claim = services.review_next(reviewer=reviewer)
            results[index] = [claim.pk, claim.author_id] if claim else None
        except Exception as error:
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i, r)) for i, r in enumerate(reviewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    print(json.dumps({"reviewers": [r.pk for r in reviewers], "results": results}))
    """
)


def test_twenty_reviewers_on_sqlite_get_twenty_distinct_claims_none_their_own(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", RACE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    results = report["results"]
    assert all(isinstance(r, list) for r in results), results
    assert len({claim_id for claim_id, _ in results}) == 20
    for reviewer_id, (_, author_id) in zip(report["reviewers"], results, strict=True):
        assert author_id != reviewer_id
