"""The claims' tally (annotations.claim_tally): the database's triggers keep it equal to the
claims, however they are written; settling folds it without losing a change; and the counts
read from it are the counts of the claims, for every role and filter."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations import claim_tally, selectors, services
from annotations.api.filters import ClaimFilter
from annotations.models import Claim, ClaimTally
from annotations.roles import Role
from annotations.workflow import Status
from tests.factories import (
    TEST_PASSWORD,
    ArticleFactory,
    make_claim,
    make_user,
    seed_scale,
    verdict,
)

Key = tuple[str, int, "int | None"]


def claims_by_key() -> Counter[Key]:
    return Counter(
        (status, author_id, verdict_id)
        for status, author_id, verdict_id in Claim.objects.values_list(
            "status", "author_id", "verdict_id"
        )
    )


def tally_by_key() -> Counter[Key]:
    totals: Counter[Key] = Counter()
    for row in ClaimTally.objects.all():
        totals[row.status, row.author_id, row.verdict_id] += row.claims
    # Counter's unary plus drops the keys that sum to zero.
    return +totals


def assert_tally_matches() -> None:
    assert tally_by_key() == claims_by_key()


@pytest.fixture
def desk(db):  # type: ignore[no-untyped-def]
    """Two editors, each with claims on an article of their own in every state with two
    verdicts, and a draft without a verdict; and a reviewer."""
    first, second = make_user(Role.EDITOR, "first"), make_user(Role.EDITOR, "second")
    reviewer = make_user(Role.REVIEWER, "checker")
    quote = "unemployment had fallen by half since 2020"
    for author in (first, second):
        article = ArticleFactory()
        make_claim(author=author, article=article, quote=quote, verdict=None)
        for status in Status.values:
            for slug in ("false", "true"):
                make_claim(
                    author=author,
                    article=article,
                    quote=quote,
                    status=status,
                    reviewer=reviewer,
                    verdict=verdict(slug),
                )
    return first, second, reviewer


@pytest.mark.django_db
def test_the_tally_follows_every_way_claims_are_written(desk):
    first, second, reviewer = desk
    assert_tally_matches()
    assert len(tally_by_key()) == 22  # 2 authors x (5 states x 2 verdicts + a draft without)

    submitted = Claim.objects.filter(author=first, status=Status.SUBMITTED).first()
    assert submitted is not None
    services.claim_transition(
        claim=submitted, actor=reviewer, action="approve", version=submitted.version
    )
    assert_tally_matches()

    draft = Claim.objects.filter(author=second, status=Status.DRAFT).first()
    assert draft is not None
    services.claim_update(
        claim=draft, actor=second, version=draft.version, changes={"verdict": verdict("true")}
    )
    services.claim_update(claim=draft, actor=second, version=draft.version + 1, changes={})
    assert_tally_matches()
    services.claim_delete(claim=draft, actor=second, version=draft.version + 2)
    assert_tally_matches()

    # Writes that no service makes: the database keeps the tally all the same.
    Claim.objects.filter(author=first, status=Status.REJECTED).update(verdict=None)
    Claim.objects.filter(author=second, status=Status.APPROVED).update(author=first)
    Claim.objects.filter(status=Status.CHANGES_REQUESTED).update(status=Status.SUBMITTED)
    assert_tally_matches()
    one = Claim.objects.filter(author=first).first()
    assert one is not None
    columns = {f.attname: getattr(one, f.attname) for f in Claim._meta.concrete_fields}
    last = Claim.objects.latest("pk").pk
    Claim.objects.bulk_create([Claim(**{**columns, "id": None}) for _ in range(3)])
    assert_tally_matches()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Claim._meta.db_table} WHERE id > %s",  # noqa: S608
            [last],
        )
        assert cursor.rowcount == 3
    assert_tally_matches()


@pytest.mark.django_db
def test_a_change_of_other_columns_appends_nothing(desk):
    first, _, reviewer = desk
    before = ClaimTally.objects.count()
    services.review_next(reviewer=reviewer)  # the reviewer and the lease change
    draft = Claim.objects.filter(author=first, status=Status.DRAFT, verdict__isnull=False).first()
    assert draft is not None
    services.claim_update(
        claim=draft, actor=first, version=draft.version, changes={"rationale": "Reworded."}
    )
    assert ClaimTally.objects.count() == before
    services.claim_update(
        claim=draft, actor=first, version=draft.version + 1, changes={"verdict": None}
    )
    assert ClaimTally.objects.count() == before + 2


@pytest.mark.postgres(
    reason="PostgreSQL tallies a statement's inserts and deletions together; SQLite per row"
)
@pytest.mark.django_db
def test_a_bulk_insert_or_delete_appends_a_row_per_key_not_per_claim(desk):
    first, _, _ = desk
    one = Claim.objects.filter(author=first, status=Status.APPROVED).first()
    assert one is not None
    columns = {f.attname: getattr(one, f.attname) for f in Claim._meta.concrete_fields}
    before = ClaimTally.objects.count()
    added = Claim.objects.bulk_create([Claim(**{**columns, "id": None}) for _ in range(200)])
    assert ClaimTally.objects.count() == before + 1
    Claim.objects.filter(pk__in=[claim.pk for claim in added]).update(status=Status.REJECTED)
    assert ClaimTally.objects.count() == before + 1 + 2 * 200  # changes: per row
    with connection.cursor() as cursor:  # one statement (Django deletes 100 at a time)
        cursor.execute(
            f"DELETE FROM {Claim._meta.db_table} WHERE id >= %s",  # noqa: S608
            [min(claim.pk for claim in added)],
        )
        assert cursor.rowcount == 200
    assert ClaimTally.objects.count() == before + 2 + 2 * 200
    assert_tally_matches()


@pytest.mark.django_db
def test_settling_folds_the_rows_and_keeps_the_sums(desk):
    first, _, _ = desk
    Claim.objects.filter(author=first, status=Status.DRAFT).delete()  # three keys fall to zero
    expected = claims_by_key()
    assert ClaimTally.objects.count() > len(expected)

    claim_tally.settle()

    rows = list(ClaimTally.objects.all())
    assert len(rows) == len(expected) == 19
    assert all(row.settled and row.claims > 0 for row in rows)
    assert tally_by_key() == expected
    claim_tally.settle()  # nothing unsettled: nothing rewritten
    assert list(ClaimTally.objects.all()) == rows


@pytest.mark.django_db
def test_a_count_settles_the_tally_once_enough_rows_pile_up(desk, monkeypatch):
    first, _, _ = desk
    claim_tally.settle()
    monkeypatch.setattr(claim_tally, "SETTLE_AFTER", 10)
    Claim.objects.filter(author=first).update(status=Status.SUBMITTED)  # 9 claims, 18 rows
    assert ClaimTally.objects.filter(settled=False).count() == 18

    assert selectors.claims_count_visible_to(first) == selectors.claims_visible_to(first).count()
    assert not ClaimTally.objects.filter(settled=False).exists()
    assert_tally_matches()


@pytest.mark.django_db
def test_counts_from_the_tally_are_the_counts_of_the_claims(desk, no_role_user):
    """For six users and every combination of the list's filters, the tally's count is the
    count of the claims ClaimFilter lets the user see (empty and unknown values included)."""
    first, second, reviewer = desk
    admin = make_user(Role.ADMIN, "chief")
    claim_tally.settle()
    Claim.objects.filter(author=second, status=Status.REJECTED).update(status=Status.DRAFT)
    for user in (AnonymousUser(), no_role_user, first, second, reviewer, admin):
        visible = selectors.claims_visible_to(user)
        for status in ("", *Status.values):
            for slug in ("", "false", "true", "no-such-verdict"):
                for author in ("", "first", "second", "nobody"):
                    given = {"status": status, "verdict": slug, "author": author}
                    filters = ClaimFilter(given, queryset=visible)
                    assert filters.is_valid(), filters.errors
                    assert filters.tallied_count(user) == filters.qs.count(), (user, given)


def test_filters_the_tally_cannot_count_with_leave_the_count_to_the_claims(desk):
    first, _, _ = desk
    article = Claim.objects.filter(author=first).values_list("article_id", flat=True).first()
    filters = ClaimFilter({"article": article}, queryset=selectors.claims_visible_to(first))
    assert filters.is_valid()
    assert filters.tallied_count(first) is None
    # One value for each filter of the list; a new filter fails here until it has one.
    examples = {
        "status": "approved",
        "verdict": "true",
        "author": "second",
        "article": article,
        "ordering": "-id",
    }
    counted_from_tally = set()
    for name in ClaimFilter.base_filters:
        one = ClaimFilter({name: examples[name]}, queryset=selectors.claims_visible_to(first))
        assert one.is_valid(), one.errors
        if one.tallied_count(first) is not None:
            counted_from_tally.add(name)
    assert counted_from_tally == {"status", "verdict", "author", "ordering"}


@pytest.mark.django_db
def test_the_api_list_counts_from_the_tally_and_pages_as_before(desk):
    first, _, _ = desk
    client = Client()
    assert client.login(username=first.username, password=TEST_PASSWORD)
    claims_table = f'"{Claim._meta.db_table}"'
    for query in ({}, {"status": "approved"}, {"verdict": "true", "author": "second"}):
        with CaptureQueriesContext(connection) as captured:
            answer = client.get("/api/claims/", {**query, "page_size": 3}).json()
        expected = selectors.claims_visible_to(first).filter(
            **{
                {"status": "status", "verdict": "verdict__slug", "author": "author__username"}[
                    name
                ]: value
                for name, value in query.items()
            }
        )
        assert answer["count"] == expected.count()
        assert [claim["id"] for claim in answer["results"]] == list(
            expected.values_list("pk", flat=True)[:3]
        )
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert len(counts) == 1 and claims_table not in counts[0], counts

    # Empty values filter nothing, in the count as in the page.
    answer = client.get("/api/claims/", {"status": "", "verdict": "", "author": ""}).json()
    assert answer["count"] == selectors.claims_visible_to(first).count()

    # An article's claims (one article of two) are counted as they are.
    article_id = Claim.objects.filter(author=first).values_list("article_id", flat=True)[0]
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/claims/", {"article": article_id}).json()
    expected = selectors.claims_visible_to(first).filter(article_id=article_id)
    assert answer["count"] == expected.count() < selectors.claims_visible_to(first).count()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and claims_table in counts[0], counts
    assert client.get("/api/claims/", {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_the_triggers_are_in_place_after_the_migrations():
    """A migration that rebuilds the claims table on SQLite drops its triggers: this fails."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [Claim._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [Claim._meta.db_table],
            )
        names = {name for (name,) in cursor.fetchall()}
    expected = {"claim_tally_insert", "claim_tally_delete", "claim_tally_update"}
    if connection.vendor == "postgresql":
        expected.add("claim_tally_truncate")
    assert names == expected


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_tally_empty_with_the_claims():
    """Django's flush (the test runner's, and `manage.py flush`) empties the claims; the
    tally, which Django does not manage, must come to zero with them."""
    seed_scale()
    make_claim(author=make_user(Role.EDITOR, "writer"), status="submitted")
    assert_tally_matches()
    call_command("flush", interactive=False, verbosity=0)
    assert not Claim.objects.exists()
    assert tally_by_key() == Counter()


CONCURRENT = "needs PostgreSQL: concurrent transactions (set DATABASE_URL to a postgres:// URL)"


def in_thread(job: Callable[[], object], failures: list[BaseException]) -> threading.Thread:
    """`job` started in a thread with a database connection of its own; what it raises is
    added to `failures`."""

    def run() -> None:
        try:
            job()
        except BaseException as error:  # reported by the test's thread
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def joined(*threads: threading.Thread) -> None:
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a thread hung"


def wait_until_blocked(seconds: float = 10) -> None:
    """Until another session waits for a lock (a row, a table or an advisory lock)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("nobody waited for a lock")


@pytest.mark.postgres(reason=CONCURRENT)
@pytest.mark.django_db(transaction=True)  # a test transaction would hide the locking
def test_settling_beside_open_writes_loses_nothing():
    """Claims written in transactions still open while the tally settles: one commits
    while the settler's transaction is open, one after it has committed. Their rows stay
    unsettled, and they count. A second settler that will not wait leaves it to the first."""
    seed_scale()
    editor = make_user(Role.EDITOR, "writer")
    article = ArticleFactory()
    make_claim(author=editor, article=article, status="submitted")
    failures: list[BaseException] = []
    written = [threading.Event(), threading.Event()]
    release = [threading.Event(), threading.Event()]
    settled = threading.Event()

    def write(number: int) -> Callable[[], None]:
        def job() -> None:
            with transaction.atomic():
                make_claim(author=editor, article=article, status="approved")
                written[number].set()
                assert release[number].wait(timeout=30)

        return job

    def settle_and_hold() -> None:
        with transaction.atomic():
            claim_tally.settle()
            settled.set()
            joined(in_thread(settle_without_waiting, failures))
            release[0].set()
            written_meanwhile.join(timeout=30)

    def settle_without_waiting() -> None:
        before = list(ClaimTally.objects.values_list("pk", flat=True))
        claim_tally.settle(wait=False)  # the first settler holds the lock
        assert list(ClaimTally.objects.values_list("pk", flat=True)) == before

    written_meanwhile = in_thread(write(0), failures)
    written_after = in_thread(write(1), failures)
    assert all(event.wait(timeout=30) for event in written)
    settler = in_thread(settle_and_hold, failures)
    joined(settler)
    release[1].set()
    joined(written_meanwhile, written_after)
    assert not failures, failures
    assert settled.is_set()
    assert Claim.objects.count() == 3
    # The late claims' rows (each made, submitted, approved) were left for the next settling.
    late = ClaimTally.objects.filter(settled=False)
    assert late.count() == 10 and sum(late.values_list("claims", flat=True)) == 2
    assert_tally_matches()
    assert selectors.claims_count_visible_to(editor) == 3


@pytest.mark.django_db
def test_recount_claims_finds_a_tally_that_drifted_and_rebuilds_it(desk):
    first, _, _ = desk
    output = StringIO()
    call_command("recount_claims", "--check", stdout=output)
    assert "matches" in output.getvalue()

    # As after a data-only restore with the triggers off: rows lost, a claim not counted.
    ClaimTally.objects.filter(author=first, status=Status.APPROVED).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ClaimTally._meta.db_table} WHERE claims < 0")  # noqa: S608
    assert claim_tally.differences()
    output = StringIO()
    with pytest.raises(CommandError, match="differs from the claims for"):
        call_command("recount_claims", "--check", stdout=output)
    assert f"approved, author #{first.pk}, verdict #{verdict('false').pk}: tally 0, claims 1" in (
        output.getvalue()
    )

    call_command("recount_claims", stdout=StringIO())
    assert claim_tally.differences() == {}
    assert_tally_matches()
    assert ClaimTally.objects.count() == len(claims_by_key())


@pytest.mark.postgres(reason=CONCURRENT)
@pytest.mark.django_db(transaction=True)  # a test transaction would hide the locking
def test_a_rebuild_waits_for_a_settling_and_does_not_count_twice():
    seed_scale()
    editor = make_user(Role.EDITOR, "writer")
    make_claim(author=editor, status="submitted")
    make_claim(author=editor, status="approved")
    failures: list[BaseException] = []
    settled, release = threading.Event(), threading.Event()

    def settle_and_hold() -> None:
        with transaction.atomic():
            claim_tally.settle()
            settled.set()
            assert release.wait(timeout=30)

    settler = in_thread(settle_and_hold, failures)
    assert settled.wait(timeout=30)
    rebuilder = in_thread(claim_tally.rebuild, failures)
    wait_until_blocked()
    release.set()
    joined(settler, rebuilder)
    assert not failures, failures
    assert_tally_matches()
    assert ClaimTally.objects.count() == 2


@pytest.mark.postgres(reason=CONCURRENT)
@pytest.mark.django_db(transaction=True)  # a test transaction would hide the locking
def test_the_triggers_find_the_tally_whatever_the_sessions_search_path():
    """pg_dump's scripts run with an empty search_path; a restore of claims with the
    triggers on must not fail for want of the tally's table."""
    seed_scale()
    claim = make_claim(author=make_user(Role.EDITOR, "writer"))
    table = (
        f"{connection.ops.quote_name('public')}.{connection.ops.quote_name(Claim._meta.db_table)}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL search_path = ''")
        cursor.execute(f"UPDATE {table} SET status = 'rejected' WHERE id = %s", [claim.pk])  # noqa: S608
        # Statement triggers fire for no rows too.
        cursor.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE false")  # noqa: S608
        cursor.execute(f"DELETE FROM {table} WHERE id = %s AND false", [claim.pk])  # noqa: S608
    assert_tally_matches()


@pytest.mark.django_db
def test_the_queues_counts_match_the_claims_whatever_their_leases(desk):
    """The queue's numbers come from the tally and the live leases; they must be what the
    submitted claims say: held by someone with a lease not run out, or not."""
    first, second, reviewer = desk
    other = make_user(Role.REVIEWER, "other")
    mine = make_claim(author=reviewer, status="submitted")
    taken = [services.review_next(reviewer=reviewer), services.review_next(reviewer=other)]
    expired = services.review_next(reviewer=make_user(Role.REVIEWER, "gone"))
    assert all(taken) and expired is not None
    Claim.objects.filter(pk=expired.pk).update(
        assigned_at=services.lease_cutoff() - timedelta(seconds=1)
    )
    released = services.review_next(reviewer=make_user(Role.REVIEWER, "idle"))
    assert released is not None and services.review_release(
        claim=released, reviewer=released.reviewer
    )

    cutoff = services.lease_cutoff()
    for user in (reviewer, other, first):
        submitted = list(Claim.objects.filter(status=Status.SUBMITTED))
        held = [c for c in submitted if c.reviewer_id and c.assigned_at and c.assigned_at >= cutoff]
        counts = selectors.review_counts(user)
        if user is first:  # not a reviewer
            assert counts.submitted == 0
            continue
        assert counts.submitted == len(submitted) == 5
        assert counts.unassigned == len(submitted) - len(held) == 3
        assert counts.held_by_me == sum(c.reviewer_id == user.pk for c in held) == 1
        assert counts.mine_waiting == sum(c.author_id == user.pk for c in submitted)
    assert mine.author_id == reviewer.pk and selectors.review_counts(reviewer).mine_waiting == 1


@pytest.mark.django_db
def test_the_queue_page_counts_from_the_tally_unless_an_article_filters_it(client, desk):
    first, second, reviewer = desk
    client.force_login(reviewer)
    article = Claim.objects.filter(author=second).values_list("article_id", flat=True)[0]
    for query in ({}, {"verdict": verdict("true").pk}, {"author": second.pk}, {"article": article}):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/review/", query)
        assert response.status_code == 200
        expected = selectors.review_queue(reviewer)
        if "verdict" in query:
            expected = expected.filter(verdict_id=query["verdict"])
        if "author" in query:
            expected = expected.filter(author_id=query["author"])
        if "article" in query:
            expected = expected.filter(article_id=query["article"])
        assert response.context["page"].paginator.count == expected.count() > 0
        claims_table = f'FROM "{Claim._meta.db_table}"'
        counted = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith("SELECT COUNT(*)") and claims_table in q["sql"]
        ]
        assert len(counted) == (1 if "article" in query else 0), counted


@pytest.mark.postgres(reason="a PostgreSQL plan (DATABASE_URL)")
@pytest.mark.django_db
def test_the_live_leases_are_read_off_their_index(desk):
    """The queue's held claims are read through claim_lease_idx (a range of recent
    assignments), not by visiting every submitted claim."""
    _, _, reviewer = desk
    leased = Claim.objects.filter(
        status=Status.SUBMITTED, reviewer__isnull=False, assigned_at__gte=services.lease_cutoff()
    ).values("pk")
    sql, params = leased.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A few claims would be read from the table; how an index serves many is the question.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "claim_lease_idx" in plan, plan
