"""Two imports of one source_url at the same moment, on PostgreSQL with real threads and a
connection each: the second always gets the answer it would get a moment later (the
article already there, that article's next revision, or a 400 naming the field), never a 500
from the unique index.

The race is forced rather than hoped for: the first import stays uncommitted until the
second is seen waiting on the first's row in the unique index, so the second has passed
its own check for duplicates (it could not see an uncommitted row) and is inserting. A
plain test transaction would hide all of this, hence transaction=True.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from annotations import services
from annotations.models import Article
from annotations.roles import Role
from tests.api.conftest import token_client
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres(
        reason="needs PostgreSQL: a second writer waits on the first's uncommitted row in "
        "the unique index; SQLite lets one writer in at a time, so the race cannot happen"
    ),
    pytest.mark.django_db(transaction=True),
]

SOURCE = "https://news.example.org/2026/03/budget"
FIRST_BODY = "Городской совет утвердил бюджет в 4,2 млн евро. 📈\n"
OTHER_BODY = "The council approved a budget of 4.2 million euros.\n"


def blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        (count,) = cursor.fetchone()
    return bool(count)


def race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """Run `first` in a transaction held open until `second`, in another thread, is seen
    waiting on a lock `first` holds; then commit and let `second` finish. Returns each one's
    result, or the exception it raised."""
    results: list[Any] = [None, None]
    first_done = threading.Event()
    release = threading.Event()

    def run_first() -> None:
        try:
            with transaction.atomic():
                results[0] = first()
                first_done.set()
                assert release.wait(30), "the second writer never blocked"
        except Exception as error:
            results[0] = error
        finally:
            first_done.set()
            connection.close()

    def run_second() -> None:
        try:
            results[1] = second()
        except Exception as error:
            results[1] = error
        finally:
            connection.close()

    holder = threading.Thread(target=run_first)
    holder.start()
    assert first_done.wait(30)
    contender = threading.Thread(target=run_second)
    contender.start()
    deadline = time.monotonic() + 30
    blocked = False
    while not blocked and time.monotonic() < deadline and contender.is_alive():
        blocked = blocked_on_a_lock()
        if not blocked:
            time.sleep(0.01)
    release.set()
    holder.join(timeout=60)
    contender.join(timeout=60)
    assert not holder.is_alive() and not contender.is_alive(), "a thread hung"
    assert blocked, f"the second writer did not wait on the first: {results}"
    return results[0], results[1]


def import_first(body: str = FIRST_BODY) -> services.ImportOutcome:
    return services.article_import(title="Бюджет", body=body, source_url=SOURCE)


def test_a_simultaneous_post_of_other_text_from_the_same_source_is_its_next_revision():
    admin = make_user(Role.ADMIN, "boss")
    api = token_client(admin)
    payload = {"title": "Budget", "body": OTHER_BODY, "source_url": SOURCE, "language": "en"}

    first, answer = race(import_first, lambda: api.post("/api/articles/", payload))

    assert isinstance(first, services.ImportOutcome) and first.created
    assert not isinstance(answer, Exception), repr(answer)
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == first.article.pk
    article = Article.objects.get()
    assert article.body == OTHER_BODY
    assert list(article.revisions.values_list("number", "body")) == [
        (1, FIRST_BODY),
        (2, OTHER_BODY),
    ]


def test_a_simultaneous_post_of_the_same_text_answers_with_the_article_already_there():
    admin = make_user(Role.ADMIN, "boss")
    api = token_client(admin)
    payload = {"title": "Бюджет", "body": FIRST_BODY, "source_url": SOURCE}

    first, answer = race(import_first, lambda: api.post("/api/articles/", payload))

    assert isinstance(first, services.ImportOutcome) and first.created
    assert not isinstance(answer, Exception), repr(answer)
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == first.article.pk
    assert Article.objects.count() == 1


def test_two_simultaneous_service_imports_leave_one_article_with_two_revisions():
    first, second = race(
        import_first,
        lambda: services.article_import(title="Budget", body=OTHER_BODY, source_url=SOURCE),
    )
    assert isinstance(first, services.ImportOutcome) and first.created
    assert isinstance(second, services.ImportOutcome), repr(second)
    assert not second.created and second.new_revision
    assert Article.objects.count() == 1
    assert Article.objects.get().revisions.count() == 2


def test_moving_an_article_to_a_source_url_taken_at_that_moment_is_refused_by_field():
    admin = make_user(Role.ADMIN, "boss")
    other = services.article_import(title="Other", body=OTHER_BODY).article

    first, second = race(
        import_first,
        lambda: services.article_update(article=other, actor=admin, changes={"source_url": SOURCE}),
    )

    assert isinstance(first, services.ImportOutcome) and first.created
    assert isinstance(second, ValidationError), repr(second)
    assert list(second.message_dict) == ["source_url"]
    other.refresh_from_db()
    assert other.source_url == ""
