from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest
from django.db import OperationalError, connection
from django.utils import translation

from annotations.roles import Role
from tests.factories import ArticleFactory, make_user
from tests.offline import local_only_getaddrinfo
from tests.record import record_guard_lifted
from tests.tasks import run_tasks as _run_tasks

NO_POSTGRESQL = "needs PostgreSQL (set DATABASE_URL to a postgres:// URL)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked `postgres` runs on PostgreSQL only: on another database it is skipped
    with the reason its mark gives, @pytest.mark.postgres(reason="...")."""
    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgres")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=marker.kwargs.get("reason", NO_POSTGRESQL)))


@pytest.fixture(autouse=True)
def _sqlite_flush_past_the_record(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A test that commits ends with a flush, which SQLite runs as a DELETE per table, in no
    set order: the record's triggers would refuse it. PostgreSQL's flush is a TRUNCATE, which
    row triggers do not see. The record (the review history, the versions, the public
    record, the articles' revisions and the claims' re-anchorings) is emptied here first,
    with its guard lifted."""
    transactional = "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    )
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    # The live server may still be answering a request the browser sent as its page closed;
    # while another connection of the shared in-memory database reads, SQLite refuses to
    # drop a trigger ("database table is locked"). Every statement here can run twice.
    for attempt in range(100):
        try:
            _empty_the_record()
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)


def _empty_the_record() -> None:
    with record_guard_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM annotations_reviewevent")
        cursor.execute("DELETE FROM annotations_claimversion")
        cursor.execute("DELETE FROM annotations_publication")
        cursor.execute("DELETE FROM annotations_reanchoring")
        # An article's revisions go only once no claim is on it, and before the article,
        # which names its current one.
        cursor.execute("DELETE FROM annotations_source")
        # What points at a claim goes first: notices, matches, search rows, repeats' link.
        cursor.execute("DELETE FROM annotations_notification")
        cursor.execute("DELETE FROM annotations_knownclaim")
        cursor.execute("DELETE FROM annotations_claimsearch")
        cursor.execute("UPDATE annotations_claim SET repeat_of_id = NULL")
        cursor.execute("DELETE FROM annotations_claim")
        cursor.execute("UPDATE annotations_article SET current_revision_id = NULL")
        cursor.execute("DELETE FROM annotations_articlerevision")


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    return make_user(Role.EDITOR, "ed")


@pytest.fixture
def editor2(db):  # type: ignore[no-untyped-def]
    return make_user(Role.EDITOR, "ed2")


@pytest.fixture
def reviewer(db):  # type: ignore[no-untyped-def]
    return make_user(Role.REVIEWER, "rev")


@pytest.fixture
def reviewer2(db):  # type: ignore[no-untyped-def]
    return make_user(Role.REVIEWER, "rev2")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMIN, "boss")


@pytest.fixture
def no_role_user(db):  # type: ignore[no-untyped-def]
    return make_user(None, "reader")


@pytest.fixture
def article(db):  # type: ignore[no-untyped-def]
    return ArticleFactory()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: name lookups answer only for this machine (tests/offline.py)."""
    import socket

    monkeypatch.setattr(socket, "getaddrinfo", local_only_getaddrinfo)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A request for a French page leaves French active in the thread (LocaleMiddleware
    activates the reader's language and nothing deactivates it), and the services' messages
    follow the active language: each test starts and ends in the desk's."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _signal_handlers_kept() -> Iterator[None]:
    """`manage.py db_worker`, run in a test, sets its own SIGINT, SIGTERM and SIGQUIT handlers
    (a graceful stop that calls sys.exit) and leaves them set: the suite's come back after
    every test, or a later signal would end some other test with a SystemExit."""
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    before = {number: signal.getsignal(number) for number in handled}
    yield
    for number, handler in before.items():
        if signal.getsignal(number) is not handler:
            signal.signal(number, handler)


@pytest.fixture
def run_tasks(db):  # type: ignore[no-untyped-def]
    """Runs the background tasks enqueued so far, for real (tests/tasks.py): call it after
    the request or service that enqueues them, then assert their effect."""
    return _run_tasks
