"""Changes of one article racing, on PostgreSQL with a connection each: two checks finding
the same new text record it once; a re-attachment racing a new revision is placed in the
text it saw or refused, never left pointing into a text it was not checked against."""

from __future__ import annotations

import pytest

from annotations.errors import Conflict, StaleVersion
from annotations.models import ArticleRevision, Claim, Reanchoring, ReviewEvent, RevisionKind
from annotations.roles import Role
from annotations.services.reanchoring import claim_reattach
from annotations.services.revisions import revision_record
from annotations.workflow import Action
from tests.factories import ArticleFactory, make_claim, make_user, seed_scale
from tests.test_review_concurrency import run_together
from tests.test_revisions import EDITED, ORPHANED, new_text

pytestmark = [
    pytest.mark.postgres(reason="needs PostgreSQL: row locks with a connection per thread"),
    pytest.mark.django_db(transaction=True),
]


def test_two_checks_finding_the_same_change_record_it_once() -> None:
    seed_scale()
    editor = make_user(Role.EDITOR, "writer")
    article = ArticleFactory()
    claim = make_claim(author=editor, article=article, quote=EDITED, status="approved")
    text = new_text(article)

    results = run_together(
        [
            lambda: revision_record(
                article_id=article.pk, body=text, kind=RevisionKind.FETCH, actor=None
            )
            for _ in range(4)
        ]
    )

    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(r.revision is not None for r in results) == 1
    assert ArticleRevision.objects.filter(article=article).count() == 2
    assert Reanchoring.objects.filter(claim=claim).count() == 1
    assert ReviewEvent.objects.filter(claim=claim, action=Action.ARTICLE_CHANGED).count() == 1


def test_a_reattachment_racing_a_new_revision_never_points_into_the_wrong_text() -> None:
    seed_scale()
    editor = make_user(Role.EDITOR, "writer")
    article = ArticleFactory()
    claim = make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    second = new_text(article)
    revision_record(article_id=article.pk, body=second, kind=RevisionKind.FETCH, actor=None)
    claim.refresh_from_db()
    passage = "The mayor said"
    start = second.index(passage)
    third = "A new first paragraph.\n" + second

    results = run_together(
        [
            lambda: claim_reattach(
                claim_id=claim.pk,
                actor=editor,
                version=claim.version,
                start=start,
                end=start + len(passage),
                quote=passage,
            ),
            lambda: revision_record(
                article_id=article.pk, body=third, kind=RevisionKind.FETCH, actor=None
            ),
        ]
    )

    reattached, revised = results
    assert not isinstance(revised, Exception), revised
    claim.refresh_from_db()
    if isinstance(reattached, Exception):
        # The revision came first: the claim moved on, and the re-attachment was refused.
        assert isinstance(reattached, (StaleVersion, Conflict)), reattached
    # Whatever the order, the claim's span is its quote in the text of its revision.
    body = claim.revision.body
    assert body[claim.start : claim.end] == claim.quote
    if claim.quote == passage:
        assert claim.revision == Claim.objects.get(pk=claim.pk).article.current_revision
