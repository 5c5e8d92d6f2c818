"""The claims' tally (annotations.claim_tally): the database's triggers keep it equal to the
claims, however they are written; settling folds it without losing a change; and the counts
read from it are the counts of the claims, for every role and filter."""

from __future__ import annotations

import threading
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations import claim_tally, selectors, services
from annotations.models import Claim, ClaimTally, Verdict
from annotations.roles import Role
from annotations.workflow import Status
from tests.factories import TEST_PASSWORD, ArticleFactory, make_claim, make_user, verdict

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
    """Two editors and a reviewer, with claims in every state and two verdicts."""
    first, second = make_user(Role.EDITOR, "first"), make_user(Role.EDITOR, "second")
    reviewer = make_user(Role.REVIEWER, "checker")
    article = ArticleFactory()
    quote = "unemployment had fallen by half since 2020"
    for author in (first, second):
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
    assert len(tally_by_key()) == 20  # 2 authors, 5 states, 2 verdicts

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
    claim = Claim.objects.filter(author=first, status=Status.SUBMITTED).first()
    assert claim is not None
    services.review_next(reviewer=reviewer)
    Claim.objects.filter(pk=claim.pk).update(rationale="Reworded.", version=claim.version + 1)
    claim.save()  # every column written again, none changed
    assert ClaimTally.objects.count() == before


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL tallies a statement's inserts and deletions together; SQLite per row",
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
    Claim.objects.filter(author=first, status=Status.DRAFT).delete()  # two keys fall to zero
    expected = claims_by_key()
    assert ClaimTally.objects.count() > len(expected)

    claim_tally.settle()

    rows = list(ClaimTally.objects.all())
    assert len(rows) == len(expected) == 18
    assert all(row.settled and row.claims > 0 for row in rows)
    assert tally_by_key() == expected
    claim_tally.settle()
    assert ClaimTally.objects.count() == 18


@pytest.mark.django_db
def test_a_count_settles_the_tally_once_enough_rows_pile_up(desk, monkeypatch):
    first, _, _ = desk
    claim_tally.settle()
    monkeypatch.setattr(claim_tally, "SETTLE_AFTER", 10)
    Claim.objects.filter(author=first).update(status=Status.SUBMITTED)  # 8 claims, 16 rows
    assert ClaimTally.objects.filter(settled=False).count() == 16

    assert selectors.claims_count_visible_to(first) == selectors.claims_visible_to(first).count()
    assert not ClaimTally.objects.filter(settled=False).exists()
    assert_tally_matches()


@pytest.mark.django_db
def test_counts_from_the_tally_are_the_counts_of_the_claims(desk, no_role_user):
    first, second, reviewer = desk
    admin = make_user(Role.ADMIN, "chief")
    claim_tally.settle()
    Claim.objects.filter(author=second, status=Status.REJECTED).update(status=Status.DRAFT)
    for user in (AnonymousUser(), no_role_user, first, second, reviewer, admin):
        for status in (None, *Status.values):
            for slug in (None, "false", "true", "no-such-verdict"):
                for author in (None, "first", "second", "nobody"):
                    claims = selectors.claims_visible_to(user)
                    if status:
                        claims = claims.filter(status=status)
                    if slug:
                        claims = claims.filter(verdict__slug=slug)
                    if author:
                        claims = claims.filter(author__username=author)
                    counted = selectors.claims_count_visible_to(
                        user, status=status, verdict_slug=slug, author_username=author
                    )
                    assert counted == claims.count(), (user, status, slug, author)


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

    # An article's claims are counted as they are; the answer is the same.
    article_id = Claim.objects.values_list("article_id", flat=True).first()
    answer = client.get("/api/claims/", {"article": article_id}).json()
    assert answer["count"] == selectors.claims_visible_to(first).count()
    assert client.get("/api/claims/", {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_the_triggers_are_in_place_after_every_migration():
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
    Verdict.objects.get_or_create(slug="false", defaults={"label": "False", "rating": 1})
    make_claim(author=make_user(Role.EDITOR, "writer"), status="submitted")
    assert_tally_matches()
    call_command("flush", interactive=False, verbosity=0)
    assert not Claim.objects.exists()
    assert tally_by_key() == Counter()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: concurrent transactions (set DATABASE_URL to a postgres:// URL)",
)
@pytest.mark.django_db(transaction=True)
def test_settling_beside_an_open_write_loses_nothing():
    """A claim created in a transaction still open while the tally settles: its row is not
    settled, and counts once it commits. A second settler meanwhile does not wait."""
    Verdict.objects.get_or_create(slug="false", defaults={"label": "False", "rating": 1})
    editor = make_user(Role.EDITOR, "writer")
    article = ArticleFactory()
    make_claim(author=editor, article=article, status="submitted")
    written, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write_and_wait() -> None:
        try:
            with transaction.atomic():
                make_claim(author=editor, article=article, status="approved")
                written.set()
                assert release.wait(timeout=30)
        except BaseException as error:  # reported by the test's thread
            failures.append(error)
            written.set()
        finally:
            connection.close()

    def settle_while_locked() -> None:
        try:
            with transaction.atomic():
                claim_tally.settle()  # takes the lock
                inner = threading.Thread(target=settle_elsewhere)
                inner.start()
                inner.join(timeout=30)
                assert not inner.is_alive(), "the second settler waited for the first"
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def settle_elsewhere() -> None:
        try:
            before = ClaimTally.objects.count()
            claim_tally.settle()  # skips: the lock is held
            assert ClaimTally.objects.count() == before
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write_and_wait)
    writer.start()
    assert written.wait(timeout=30)
    settle_while_locked_thread = threading.Thread(target=settle_while_locked)
    settle_while_locked_thread.start()
    settle_while_locked_thread.join(timeout=60)
    release.set()
    writer.join(timeout=30)
    assert not failures, failures
    assert Claim.objects.count() == 2
    assert ClaimTally.objects.filter(settled=False).exists()  # the late claim's rows
    assert_tally_matches()
    assert selectors.claims_count_visible_to(editor) == 2


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
