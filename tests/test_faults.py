"""Faults on PostgreSQL, over real HTTP: the database connection of a request is killed while
the request waits on a lock the test holds.

The answer must be a 503 that changed nothing, and the very next request must succeed without
restarting anything. A write that dies half-way (the claim inserted, its sources not yet)
must leave no claim, no source and no event behind: one transaction per write.

Transactional tests, because the server's threads need to see committed rows and the test's
own connection must not hold the locks it is testing.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from annotations.models import Claim, ReviewEvent, Source
from annotations.roles import Role
from tests.factories import TEST_PASSWORD, ArticleFactory, make_claim, make_user, seed_scale

psycopg = pytest.importorskip("psycopg")

pytestmark = [
    pytest.mark.postgres(
        reason="needs PostgreSQL: row and table locks, pg_terminate_backend "
        "(set DATABASE_URL to a postgres:// URL)"
    ),
    pytest.mark.django_db(transaction=True),
]

# Bounds on every wait, so that a regression fails the test instead of hanging the suite.
REQUEST_TIMEOUT = 30
FIND_TIMEOUT = 15


@pytest.fixture(autouse=True)
def scale() -> None:
    seed_scale()


@pytest.fixture
def other_connection() -> Iterator[Any]:
    """A second, independent connection to the test database: the one holding the locks."""
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        connect_timeout=5,
    )
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


class Answer:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body


def call(base: str, method: str, path: str, body: Any, token: str | None = None) -> Answer:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            raw = response.read()
            return Answer(response.status, json.loads(raw) if raw else {})
    except urllib.error.HTTPError as error:
        raw = error.read()
        return Answer(error.code, json.loads(raw) if raw else {})


def token_for(base: str, username: str) -> str:
    answer = call(
        base, "POST", "/api/auth/token/", {"username": username, "password": TEST_PASSWORD}
    )
    assert answer.status == 200, answer.body
    token: str = answer.body["token"]
    return token


class InBackground:
    """One HTTP call in a thread of its own, so that the test can act while it is blocked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.answer: Answer | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=args, kwargs=kwargs, daemon=True)
        self._thread.start()

    def _run(self, *args: Any, **kwargs: Any) -> None:
        try:
            self.answer = call(*args, **kwargs)
        except BaseException as error:  # reported by result(), never lost in the thread
            self.error = error

    def result(self) -> Answer:
        self._thread.join(timeout=REQUEST_TIMEOUT + 5)
        assert not self._thread.is_alive(), "the request never answered"
        if self.error is not None:
            raise self.error
        assert self.answer is not None
        return self.answer


def backend_waiting_on_a_lock(conn: Any) -> tuple[int, str]:
    """The pid and the statement of the one other backend of this database that waits on a
    lock."""
    deadline = time.monotonic() + FIND_TIMEOUT
    while time.monotonic() < deadline:
        with conn.cursor() as cursor:
            # Inside a transaction the statistics views are a snapshot taken at first use.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchall()
        if len(waiting) == 1:
            pid, query = waiting[0]
            return pid, query
        assert len(waiting) < 2, f"more than one backend waits on a lock: {waiting}"
        time.sleep(0.05)
    raise AssertionError("the request never blocked on the lock the test holds")


def terminate(conn: Any, pid: int) -> None:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone() == (True,)


def test_a_request_whose_database_connection_dies_answers_503_and_the_next_one_succeeds(
    live_server: Any, other_connection: Any
) -> None:
    base = live_server.url
    make_user(Role.REVIEWER, "rev")
    claim = make_claim(author=make_user(Role.EDITOR, "ed"), status="submitted")
    events_before = ReviewEvent.objects.filter(claim=claim).count()
    token = token_for(base, "rev")
    approve = f"/api/claims/{claim.pk}/approve/"

    with other_connection.cursor() as cursor:
        cursor.execute("SELECT id FROM annotations_claim WHERE id = %s FOR UPDATE", [claim.pk])
    blocked = InBackground(base, "POST", approve, {"version": claim.version}, token)
    pid, statement = backend_waiting_on_a_lock(other_connection)
    # The service locking the claim (PostgreSQL may cut the statement short before its
    # FOR UPDATE).
    assert statement.startswith('SELECT "annotations_claim"."id"'), statement
    terminate(other_connection, pid)
    answer = blocked.result()

    assert answer.status == 503, answer.body
    assert answer.body["error"]["code"] == "database_unavailable"
    assert "try again" in answer.body["error"]["message"]
    unchanged = Claim.objects.get(pk=claim.pk)
    assert (unchanged.status, unchanged.version, unchanged.reviewer_id) == (
        "submitted",
        claim.version,
        None,
    )
    assert ReviewEvent.objects.filter(claim=claim).count() == events_before

    other_connection.rollback()  # the lock goes; the server was never restarted
    again = call(base, "POST", approve, {"version": claim.version}, token)
    assert again.status == 200, again.body
    assert again.body["status"] == "approved"
    assert ReviewEvent.objects.filter(claim=claim).count() == events_before + 1


@pytest.mark.parametrize("way", ["change", "delete"])
def test_a_claim_deleted_while_a_write_waits_for_its_lock_is_a_404(
    live_server: Any, other_connection: Any, way: str
) -> None:
    """The API sees the claim, then the service waits for its row lock; another session
    deletes the claim meanwhile. The service finds no row: the client gets a 404, not a
    500."""
    base = live_server.url
    draft = make_claim(author=make_user(Role.EDITOR, "ed"))
    token = token_for(base, "ed")
    path = f"/api/claims/{draft.pk}/"

    with other_connection.cursor() as cursor:
        cursor.execute("SELECT id FROM annotations_claim WHERE id = %s FOR UPDATE", [draft.pk])
    if way == "change":
        blocked = InBackground(
            base, "PATCH", path, {"version": draft.version, "claimant": "X"}, token
        )
    else:
        blocked = InBackground(base, "DELETE", f"{path}?version={draft.version}", None, token)
    backend_waiting_on_a_lock(other_connection)
    with other_connection.cursor() as cursor:
        for table in (
            "annotations_source",
            "annotations_claimversion",
            "annotations_reviewevent",
            "annotations_claimsearch",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE claim_id = %s", [draft.pk])  # noqa: S608
        cursor.execute("DELETE FROM annotations_claim WHERE id = %s", [draft.pk])
    other_connection.commit()
    answer = blocked.result()

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"
    assert not Claim.objects.filter(pk=draft.pk).exists()


def test_a_claim_whose_sources_cannot_be_stored_leaves_nothing_behind(
    live_server: Any, other_connection: Any
) -> None:
    base = live_server.url
    make_user(Role.EDITOR, "ed")
    article = ArticleFactory()
    token = token_for(base, "ed")
    quote = "unemployment had fallen by half since 2020"
    start = article.body.index(quote)
    new_claim = {
        "article": article.pk,
        "start": start,
        "end": start + len(quote),
        "claim_text": "Unemployment halved since 2020.",
        "sources": [
            {"url": "https://stats.example.org/a", "title": "Survey"},
            {"url": "https://stats.example.org/b", "title": "Census"},
        ],
    }
    counts = {model: model.objects.count() for model in (Claim, Source, ReviewEvent)}

    with other_connection.cursor() as cursor:
        # The claim row goes in; the sources wait for this lock, and die waiting.
        cursor.execute("LOCK TABLE annotations_source IN ACCESS EXCLUSIVE MODE")
    blocked = InBackground(base, "POST", "/api/claims/", new_claim, token)
    pid, statement = backend_waiting_on_a_lock(other_connection)
    # Half-way: the claim row is written (uncommitted) and the sources are being inserted.
    assert statement.startswith('INSERT INTO "annotations_source"'), statement
    terminate(other_connection, pid)
    answer = blocked.result()

    assert answer.status == 503, answer.body
    other_connection.rollback()  # counting the sources needs the table back
    assert {model: model.objects.count() for model in counts} == counts

    again = call(base, "POST", "/api/claims/", new_claim, token)
    assert again.status == 201, again.body
    assert [source["title"] for source in again.body["sources"]] == ["Survey", "Census"]
    assert Claim.objects.count() == counts[Claim] + 1
    assert Source.objects.count() == counts[Source] + 2
    assert ReviewEvent.objects.count() == counts[ReviewEvent] + 1
