"""Revisions of an article's text and the re-anchoring of its claims on each: the services
(annotations.services.revisions), the workflow's answer to changed words, and the record's
guard over revisions and outcomes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from annotations import services
from annotations.errors import Conflict, StaleVersion
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    Publication,
    Reanchoring,
    ReviewEvent,
    RevisionKind,
)
from annotations.reanchoring import Outcome
from annotations.services.reanchoring import claim_reattach
from annotations.services.revisions import (
    article_edit_text,
    describe_revision,
    revision_record,
)
from annotations.workflow import Action, Status
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

# An edit that gives each outcome once (tests/test_reanchoring.py holds the algorithm's
# cases; these are the claims' side of it): the first sentence moves to the end, the
# mayor's figure is edited, the critics' sentence goes, a paragraph comes first.
UNCHANGED = "The mayor said"
MOVED = "approved a budget of 4.2 million euros"
EDITED = "unemployment had fallen by half since 2020"
ORPHANED = "Critics noted that the figures came from a report"


def new_text(article: Article) -> str:
    number = article.body.rsplit("Article number ", 1)[1]
    return (
        "Breaking news from the town hall.\n"
        "The mayor said unemployment had fallen by a third since 2020.\n"
        f"Article number {number}"
        "The city council approved a budget of 4.2 million euros on Tuesday.\n"
    )


def revise(article: Article, body: str | None = None, actor: Any = None) -> Any:
    return revision_record(
        article_id=article.pk,
        body=new_text(article) if body is None else body,
        kind=RevisionKind.FETCH,
        actor=actor,
        title=article.title,
    )


def test_an_import_records_revision_one_and_claims_point_into_it(editor: Any) -> None:
    outcome = services.article_import(title="T", body="One text.\n", source_url="")
    article = outcome.article
    revision = article.revisions.get()
    assert (revision.number, revision.kind, revision.body) == (1, "file", "One text.\n")
    assert article.current_revision == revision
    claim = services.claim_create(author=editor, article=article, start=0, end=3)
    assert claim.revision == revision


def test_the_same_text_again_records_nothing(article: Article) -> None:
    outcome = revise(article, body=article.body)
    assert outcome.revision is None
    assert article.revisions.count() == 1
    assert describe_revision(outcome) == f"article #{article.pk}: no change (revision 1)"


def test_each_claim_gets_its_outcome_and_its_new_span(
    article: Article, editor: Any, reviewer: Any
) -> None:
    claims = {
        quote: make_claim(author=editor, article=article, quote=quote, status=status)
        for quote, status in [
            (UNCHANGED, "submitted"),
            (MOVED, "draft"),
            (EDITED, "submitted"),
            (ORPHANED, "changes_requested"),
        ]
    }
    outcome = revise(article)
    article.refresh_from_db()
    revision = outcome.revision
    assert revision is not None and revision.number == 2
    assert article.body == revision.body and article.current_revision == revision
    assert outcome.counts() == {"unchanged": 1, "moved": 1, "edited": 1, "orphaned": 1}
    rows = {row.claim_id: row for row in Reanchoring.objects.all()}
    for quote, expected in [
        (UNCHANGED, Outcome.UNCHANGED),
        (MOVED, Outcome.MOVED),
        (EDITED, Outcome.EDITED),
        (ORPHANED, Outcome.ORPHANED),
    ]:
        before = claims[quote]
        claim = Claim.objects.get(pk=before.pk)
        row = rows[claim.pk]
        assert row.outcome == expected
        assert (row.old_start, row.old_end, row.old_quote) == (before.start, before.end, quote)
        assert row.reason_code and row.reason_sentence().endswith(".")
        # Every claim moved on: a page showing the old offsets is stale.
        assert claim.version == before.version + 1
        # Nobody's state changed: none was published.
        assert claim.status == before.status
        if expected == Outcome.ORPHANED:
            assert claim.revision_id == before.revision_id
            assert (claim.start, claim.end, claim.quote) == (before.start, before.end, quote)
            assert row.new_start is None and row.new_quote == ""
        else:
            assert claim.revision == revision
            assert revision.body[claim.start : claim.end] == claim.quote
            assert (row.new_start, row.new_end, row.new_quote) == (
                claim.start,
                claim.end,
                claim.quote,
            )
    assert Claim.objects.get(pk=claims[EDITED].pk).quote == (
        "unemployment had fallen by a third since 2020"
    )
    assert list(Claim.objects.orphaned().values_list("pk", flat=True)) == [claims[ORPHANED].pk]
    assert Claim.objects.anchored().count() == 3
    # Claims once submitted have the re-anchoring in their history; the draft never
    # submitted keeps a history of its creation alone, and may still be deleted.
    events = ReviewEvent.objects.filter(action=Action.REANCHOR)
    assert sorted(events.values_list("claim_id", flat=True)) == sorted(
        claims[q].pk for q in (UNCHANGED, EDITED, ORPHANED)
    )
    comment = events.get(claim=claims[EDITED]).comment
    assert comment.startswith("Revision 2 of the article (fetched from its address, ")
    assert '"unemployment had fallen by half since 2020" now reads' in comment
    draft = Claim.objects.get(pk=claims[MOVED].pk)
    services.claim_delete(claim_id=draft.pk, actor=editor, version=draft.version)
    assert describe_revision(outcome) == (
        f"article #{article.pk}, revision 2: 4 claims: 1 unchanged, 1 moved, 1 edited, 1 orphaned"
    )


def test_a_published_claim_whose_words_changed_goes_back_to_review(
    article: Article, editor: Any, reviewer: Any
) -> None:
    edited = make_claim(author=editor, article=article, quote=EDITED, status="approved")
    orphaned = make_claim(author=editor, article=article, quote=ORPHANED, status="approved")
    kept = make_claim(author=editor, article=article, quote=UNCHANGED, status="approved")
    published = Publication.objects.count()
    outcome = revise(article)
    assert sorted(outcome.sent_back) == sorted([edited.pk, orphaned.pk])
    for claim in (edited, orphaned):
        claim.refresh_from_db()
        assert claim.status == Status.SUBMITTED
        assert claim.reviewer is None
        event = claim.events.order_by("-id").first()
        assert event is not None
        assert (event.action, event.from_status, event.to_status) == (
            Action.ARTICLE_CHANGED,
            Status.APPROVED,
            Status.SUBMITTED,
        )
        assert event.actor is None
        assert event.comment.startswith(
            "The article changed after the verdict. Revision 2 of the article"
        )
    kept.refresh_from_db()
    assert kept.status == Status.APPROVED
    assert kept.events.order_by("-id").first().action == Action.REANCHOR  # type: ignore[union-attr]
    # What was published stays as it was, pointing into the text that was checked.
    assert Publication.objects.count() == published
    record = Publication.objects.get(claim=edited)
    assert record.revision.number == 1 and record.quote == EDITED


def test_a_published_claim_whose_quote_changed_only_in_white_space_keeps_its_verdict(
    article: Article, editor: Any
) -> None:
    claim = make_claim(author=editor, article=article, quote=EDITED, status="approved")
    spaced = article.body.replace(EDITED, EDITED.replace(" by half ", " by  half\n"))
    outcome = revise(article, body=spaced)
    assert outcome.counts()["edited"] == 1
    assert outcome.sent_back == []
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    assert claim.quote == EDITED.replace(" by half ", " by  half\n")
    # A word changed is another matter, even with the same white space.
    reworded = spaced.replace("by  half", "by  a third")
    assert revise(article, body=reworded).sent_back == [claim.pk]


def test_an_orphaned_claim_is_neither_submitted_nor_approved(
    article: Article, editor: Any, reviewer: Any
) -> None:
    draft = make_claim(author=editor, article=article, quote=ORPHANED)
    submitted = make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    revise(article)
    for claim, actor, action in [(draft, editor, "submit"), (submitted, reviewer, "approve")]:
        claim.refresh_from_db()
        with pytest.raises(ValidationError) as refusal:
            services.claim_transition(
                claim_id=claim.pk, actor=actor, action=action, version=claim.version
            )
        assert "re-attach" in refusal.value.message_dict["quote"][0]


def test_the_author_reattaches_an_orphan_to_the_new_passage(
    article: Article, editor: Any, reviewer: Any
) -> None:
    claim = make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    revise(article)
    claim.refresh_from_db()
    article.refresh_from_db()
    passage = "unemployment had fallen by a third"
    start = article.body.index(passage)
    reattached = claim_reattach(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        start=start,
        end=start + len(passage),
        quote=passage,
    )
    assert reattached.revision_id == article.current_revision_id
    assert (reattached.quote, reattached.version) == (passage, claim.version + 1)
    event = reattached.events.order_by("-id").first()
    assert event is not None and event.action == Action.REATTACH
    assert event.comment == f'Re-attached: "{ORPHANED}" is now "{passage}".'
    # Anchored again: it may be approved.
    services.claim_transition(
        claim_id=claim.pk, actor=reviewer, action="approve", version=reattached.version
    )


def test_reattaching_is_refused_clearly(
    article: Article, editor: Any, editor2: Any, admin_user: Any
) -> None:
    orphan = make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    anchored = make_claim(author=editor, article=article, quote=UNCHANGED)
    revise(article)
    orphan.refresh_from_db()
    anchored.refresh_from_db()
    good = {"start": 0, "end": 8}
    with pytest.raises(PermissionDenied):
        claim_reattach(claim_id=orphan.pk, actor=editor2, version=orphan.version, **good)
    with pytest.raises(StaleVersion):
        claim_reattach(claim_id=orphan.pk, actor=editor, version=orphan.version - 1, **good)
    with pytest.raises(ValidationError) as refusal:
        claim_reattach(claim_id=orphan.pk, actor=editor, version=orphan.version, start=5, end=2)
    assert "end" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        claim_reattach(
            claim_id=orphan.pk, actor=editor, version=orphan.version, start=0, end=99_999
        )
    assert "past the end" in refusal.value.message_dict["end"][0]
    with pytest.raises(ValidationError):
        claim_reattach(
            claim_id=orphan.pk, actor=editor, version=orphan.version, quote="Nope", **good
        )
    with pytest.raises(Conflict):
        claim_reattach(claim_id=anchored.pk, actor=editor, version=anchored.version, **good)
    unchanged = Claim.objects.get(pk=orphan.pk)
    assert (unchanged.version, unchanged.quote) == (orphan.version, ORPHANED)
    # An admin may, for anyone.
    claim_reattach(claim_id=orphan.pk, actor=admin_user, version=orphan.version, **good)


def test_an_orphan_stays_orphaned_until_a_later_text_has_its_words_again(
    article: Article, editor: Any
) -> None:
    claim = make_claim(author=editor, article=article, quote=ORPHANED)
    original = article.body
    revise(article)
    # The article goes back to its first text: the orphan is placed from the text it was
    # last placed in (revision 1), not from revision 2.
    outcome = revise(article, body=original)
    assert outcome.revision is not None and outcome.revision.number == 3
    claim.refresh_from_db()
    row = Reanchoring.objects.get(claim=claim, revision=outcome.revision)
    assert row.from_revision.number == 1 and row.outcome == Outcome.UNCHANGED
    assert claim.revision == outcome.revision and claim.quote == ORPHANED


def test_an_admin_edit_of_the_text_is_a_revision(
    article: Article, admin_user: Any, editor: Any
) -> None:
    outcome = article_edit_text(article_id=article.pk, body=new_text(article), actor=admin_user)
    assert outcome.revision is not None
    assert (outcome.revision.kind, outcome.revision.created_by) == ("edit", admin_user)
    with pytest.raises(PermissionDenied):
        article_edit_text(article_id=article.pk, body="Other.", actor=editor)


def test_a_text_that_is_another_articles_is_refused(article: Article) -> None:
    other = ArticleFactory()
    with pytest.raises(ValidationError) as refusal:
        revise(article, body=other.body)
    assert f"exactly the text of article #{other.pk}" in refusal.value.messages[0]
    assert article.revisions.count() == 1
    article.refresh_from_db()
    assert article.current_revision is not None and article.current_revision.number == 1


def test_an_empty_or_unclean_text_is_refused(article: Article) -> None:
    for body in ("  \n", "Text with a NUL \x00 in it."):
        with pytest.raises(ValidationError):
            revise(article, body=body)
    assert article.revisions.count() == 1


def test_revisions_and_outcomes_are_append_only(article: Article, editor: Any) -> None:
    make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    revise(article)
    revision = ArticleRevision.objects.get(article=article, number=2)
    with pytest.raises(TypeError):
        ArticleRevision.objects.filter(pk=revision.pk).update(body="Rewritten.")
    with pytest.raises(TypeError):
        revision.save()
    with pytest.raises(TypeError):
        Reanchoring.objects.all().delete()
    tables = ["annotations_articlerevision", "annotations_reanchoring"]
    for table in tables:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET created_at = created_at")  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_an_article_no_claim_was_made_on_goes_with_its_revisions(article: Article) -> None:
    revise(article)
    Article.objects.filter(pk=article.pk).delete()
    assert not ArticleRevision.objects.exists()


def test_an_admin_edits_the_text_in_the_admin_as_a_revision(
    article: Article, admin_user: Any, editor: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    claim = make_claim(author=editor, article=article, quote=EDITED, status="submitted")
    text = new_text(article)
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:annotations_article_change", args=[article.pk])
    form = {
        "title": article.title,
        "body": text.replace("\n", "\r\n"),
        "source_url": article.source_url,
        "publisher": article.publisher,
        "byline": article.byline,
        "published_on": "",
        "language": article.language,
    }
    answer = client.post(url, form, follow=True)
    assert answer.status_code == 200
    article.refresh_from_db()
    assert article.body == text
    revision = article.revisions.get(number=2)
    assert (revision.kind, revision.created_by) == ("edit", admin_user)
    assert Reanchoring.objects.get(claim=claim).outcome == Outcome.EDITED
    messages = [str(m) for m in answer.context["messages"]]
    assert any("revision 2: 1 claim: 1 edited" in m for m in messages), messages


def test_reanchoring_takes_a_fixed_number_of_queries_however_many_claims(editor: Any) -> None:
    """The article's lock, its revisions, the claims' lock, their texts, one UPDATE per
    distance the claims moved, and one bulk write each for the outcomes and the events: the
    same for 3 claims or 12. Only claims whose words or context changed (a save each) and
    published claims sent back to review cost more."""
    from django.test.utils import CaptureQueriesContext

    counts = []
    for how_many in (3, 12):
        article = ArticleFactory()
        for _ in range(how_many):
            make_claim(author=editor, article=article, quote="Critics noted", status="submitted")
        body = "A paragraph on top.\n" + article.body
        with CaptureQueriesContext(connection) as queries:
            outcome = revise(article, body=body)
        assert outcome.counts()["unchanged"] == how_many
        moved = Claim.objects.filter(article=article)
        assert {(c.start, c.revision_id) for c in moved} == {
            (body.index("Critics noted"), outcome.revision.pk)
        }
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_outcomes_of_the_latest_text_are_named_in_the_readers_language(
    client: Any, article: Article, editor: Any
) -> None:
    for quote in (UNCHANGED, MOVED, EDITED, ORPHANED):
        make_claim(author=editor, article=article, quote=quote)
    revise(article)
    client.force_login(editor)
    page = client.get(f"/articles/{article.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    badges = re.findall(r'<span class="outcome-badge">([^<]*)</span>', page)
    assert sorted(badges) == ["Déplacée", "Inchangée", "Modifiée", "Orpheline"]
