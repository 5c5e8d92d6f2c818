"""Pages and endpoints that show many claims run a fixed number of queries, however many
claims there are (bench/ measures their time; here their cost must not grow per claim).
The API's annotations endpoint is held to this in tests/api/test_articles.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from annotations import services
from annotations.models import Article, Claim
from tests.factories import (
    ARTICLE_BODY,
    TEST_PASSWORD,
    ArticleFactory,
    make_claim,
    seed_scale,
    verdict,
)

pytestmark = pytest.mark.django_db


def article_with_claims(editor, reviewer, count: int) -> Article:  # type: ignore[no-untyped-def]
    """`count` claims on one article, in every state the editor can see, each with sources."""
    article = ArticleFactory(body=ARTICLE_BODY * count)
    states = ["draft", "submitted", "approved", "changes_requested", "rejected"]
    for number in range(count):
        start = article.body.index("The mayor", number * len(ARTICLE_BODY))
        if number % len(states) == 0:
            services.claim_create(
                author=editor,
                article=article,
                start=start,
                end=start + len("The mayor"),
                verdict=verdict("false"),
                sources=[{"url": "https://stats.example.org/a"}, {"url": "https://b.example"}],
            )
        else:
            quote = article.body[start : start + len("The mayor said")]
            make_claim(
                author=editor,
                article=article,
                quote=quote,
                status=states[number % len(states)],
                reviewer=reviewer,
            )
    return article


def queries_for(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200  # type: ignore[attr-defined]
    return len(captured.captured_queries)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_article_page_queries_do_not_grow_with_its_claims(editor, reviewer):
    small = article_with_claims(editor, reviewer, 2)
    large = article_with_claims(editor, reviewer, 15)
    client = signed_in(editor)
    client.get(f"/articles/{small.pk}/")  # the session and the role are read once per request
    few = queries_for(lambda: client.get(f"/articles/{small.pk}/"))
    many = queries_for(lambda: client.get(f"/articles/{large.pk}/"))
    # Session, user, display settings, the article, the role, the verdicts; the claims, their
    # sources and their decisions; the known claims, the desk's counts. The article comes with
    # its current revision and their number (one: no orphans or re-anchorings to read).
    assert few == many == 11
    page = client.get(f"/articles/{large.pk}/").content.decode()
    assert page.count('"claim_text":') == 15


def test_claims_list_queries_do_not_grow_with_the_page_size(editor, reviewer):
    article_with_claims(editor, reviewer, 12)
    client = signed_in(editor)
    client.get("/api/claims/")
    few = queries_for(lambda: client.get("/api/claims/", {"page_size": 2}))
    many = queries_for(lambda: client.get("/api/claims/", {"page_size": 12}))
    # Session, user, role; then the count, the page's ids, its claims and their sources.
    # (Reading the page's rows in one query with its joins was tried: PostgreSQL then sorts
    # every visible claim instead of walking the document-order index, and it was slower.)
    assert few == many == 7
    assert len(client.get("/api/claims/", {"page_size": 12}).json()["results"]) == 12


def test_review_answers_read_verdict_and_people_with_the_claim(editor, reviewer):
    article_with_claims(editor, reviewer, 6)
    client = signed_in(reviewer)
    client.get("/review/")  # the session is read once

    def separate_reads(post: Callable[[], object]) -> list[str]:
        """Queries whose main table is the verdicts' or the users' (a join does not count)."""
        with CaptureQueriesContext(connection) as captured:
            response = post()
        assert response.status_code == 200  # type: ignore[attr-defined]
        tables = ('FROM "annotations_verdict"', 'FROM "auth_user" ')
        return [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]

    taken: dict[str, object] = {}

    def take_next() -> object:
        response = client.post("/api/review-queue/next/", {}, content_type="application/json")
        taken.update(response.json())
        return response

    # Only the session's own read of the signed-in user; the claim's verdict, author and
    # reviewer come joined to the claim, for the answer.
    assert len(separate_reads(take_next)) == 1
    decided = separate_reads(
        lambda: client.post(
            f"/api/claims/{taken['id']}/reject/",
            {"comment": "Not what the source says.", "version": taken["version"]},
            content_type="application/json",
        )
    )
    assert len(decided) == 1


@pytest.mark.postgres(reason="a PostgreSQL plan (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_count_of_visible_claims_reads_a_narrow_index_alone(editor, reviewer):
    """Counts of many claims under the visibility rule (the claims list, the admin's list, the
    export's total) stay index-only scans, for all claims and for a status: claim_count_idx,
    or for a status alone any index led by it."""
    seed_scale()
    article_with_claims(editor, reviewer, 10)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table at rest: the visibility map set, statistics fresh.
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Claim._meta.db_table)}")
    for claims in (
        Claim.objects.visible_to(editor),
        Claim.objects.visible_to(editor).filter(status="approved"),
    ):
        sql, params = claims.order_by().values("pk").query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            # Ten claims would be read from the table; how an index serves many is the question.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # The SQL is the ORM's own, with its parameters apart.
            cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS listed", params)  # noqa: S608
            plan = "\n".join(row for (row,) in cursor.fetchall())
        assert "Index Only Scan" in plan, plan


def test_taking_and_rejecting_a_claim_run_a_fixed_number_of_queries(editor, reviewer):
    """Next: the token with its user, the role, the held claim's id (none), the free claim's
    id under lock, that claim with its relations, the assignment, the answer's sources. The rejection: the
    token, the role, the locked claim, its public record, the notice, the claim, the event,
    the answer's sources. Savepoints aside; none is a check the code made already."""
    article_with_claims(editor, reviewer, 6)
    token = Token.objects.create(user=reviewer)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    def statements(post: Callable[[], object]) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = post()
        assert response.status_code == 200  # type: ignore[attr-defined]
        return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]

    taken: dict[str, object] = {}

    def take_next() -> object:
        response = client.post("/api/review-queue/next/", {}, content_type="application/json")
        taken.update(response.json())
        return response

    assert len(statements(take_next)) == 7
    rejected = statements(
        lambda: client.post(
            f"/api/claims/{taken['id']}/reject/",
            {"comment": "Not what the source says.", "version": taken["version"]},
            content_type="application/json",
        )
    )
    assert len(rejected) == 8, rejected
