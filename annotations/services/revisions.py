"""Revisions: recording a new text of an article (its claims re-anchored on it by
services.reanchoring), checking an article's address for a new text, editing it, and
restoring an article with its revisions from a native file.

A new revision is recorded, and every claim of the article re-anchored on it, in one
transaction under the article's row lock and its claims': of two checks finding the same
change at once, one records it and the other finds the text already current. Every lock
taken here is taken article first, then claims, as claim_reattach does too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations import permissions
from annotations.anchoring import normalise_newlines
from annotations.models import Article, ArticleRevision, Claim, Reanchoring
from annotations.reanchoring import Outcome
from annotations.services.articles import (
    REVISION_METADATA_FIELDS,
    ImportOutcome,
    article_import,
    body_digest,
    fetch_article,
    match_when_committed,
)
from annotations.services.reanchoring import claims_reanchor
from annotations.services.search import search_index_article, search_index_claims

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class RevisionOutcome:
    """`revision` None: the text was the article's current one, and nothing was stored."""

    article: Article
    revision: ArticleRevision | None
    reanchorings: list[Reanchoring] = field(default_factory=list)
    # The claims that were published and went back to review.
    sent_back: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many claims had each outcome, every outcome named (0 for none)."""
        found = {outcome.value: 0 for outcome in Outcome}
        for row in self.reanchorings:
            found[row.outcome] += 1
        return found


def describe_revision(outcome: RevisionOutcome) -> str:
    """One line for a terminal or a message: the article, the revision recorded and what
    became of the claims, e.g. "article #3, revision 2: 4 claims: 2 unchanged, 1 moved,
    1 orphaned; 1 published claim back to review"."""
    article, revision = outcome.article, outcome.revision
    if revision is None:
        return _("article #%(article)s: no change (revision %(revision)d)") % {
            "article": article.pk,
            "revision": current_number(article),
        }
    line = _("article #%(article)s, revision %(revision)d") % {
        "article": article.pk,
        "revision": revision.number,
    }
    if not outcome.reanchorings:
        return _("%(line)s: no claims") % {"line": line}
    counts = ", ".join(
        _OUTCOME_COUNTS[name](n) % {"count": n} for name, n in outcome.counts().items() if n
    )
    line = _("%(line)s: %(claims)s: %(outcomes)s") % {
        "line": line,
        "claims": ngettext("%(count)d claim", "%(count)d claims", len(outcome.reanchorings))
        % {"count": len(outcome.reanchorings)},
        "outcomes": counts,
    }
    if outcome.sent_back:
        back = len(outcome.sent_back)
        line = _("%(line)s; %(back)s") % {
            "line": line,
            "back": ngettext(
                "%(count)d published claim back to review",
                "%(count)d published claims back to review",
                back,
            )
            % {"count": back},
        }
    return line


# How many claims had each outcome, as describe_revision counts them.
_OUTCOME_COUNTS: dict[str, Callable[[int], str]] = {
    Outcome.UNCHANGED: lambda n: ngettext("%(count)d unchanged", "%(count)d unchanged", n),
    Outcome.MOVED: lambda n: ngettext("%(count)d moved", "%(count)d moved", n),
    Outcome.EDITED: lambda n: ngettext("%(count)d edited", "%(count)d edited", n),
    Outcome.ORPHANED: lambda n: ngettext("%(count)d orphaned", "%(count)d orphaned", n),
}


def current_number(article: Article) -> int:
    """The number of the article's current revision."""
    return (
        ArticleRevision.objects.filter(article=article, pk=article.current_revision_id or 0)
        .values_list("number", flat=True)
        .first()
        or 0
    )


def revision_record(
    *,
    article_id: int,
    body: str,
    kind: str,
    actor: User | None,
    title: str = "",
    publisher: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "",
) -> RevisionOutcome:
    """Record `body` as the next revision of the article, of `kind` (models.RevisionKind),
    by `actor` (None: the operator), and re-anchor every claim of the article on it
    (claims_reanchor); nothing, when `body` is the article's current text. The article's
    own metadata stays the desk's; the revision keeps what came with the text.

    The caller checks who may: this is the one path by which an article's text changes.
    Raises ValidationError, storing nothing, for a text that is empty or unclean, or that is
    another article's current text.
    """
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": _("The article has no text.")})
    revision = ArticleRevision(
        article_id=article_id,
        number=1,
        kind=kind,
        body=body,
        title=title.strip(),
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_on=published_on,
        language=language.strip(),
        created_by=actor,
    )
    revision.full_clean(
        exclude=["article", "body_sha256", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    revision.body_sha256 = body_digest(body)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.body_sha256 == revision.body_sha256:
            return RevisionOutcome(article, None)
        latest = article.revisions.order_by("-number").values_list("number", flat=True).first()
        revision.number = (latest or 0) + 1
        revision.created_at = timezone.now()
        revision.save()
        article.body = body
        article.body_sha256 = revision.body_sha256
        article.current_revision = revision
        try:
            with transaction.atomic():
                article.save(update_fields=["body", "body_sha256", "current_revision"])
        except IntegrityError:
            holder = Article.objects.filter(body_sha256=revision.body_sha256).first()
            raise ValidationError(
                {
                    "body": _(
                        "The new text of article #%(article)s is exactly the text of article "
                        "#%(holder)s; nothing was recorded."
                    )
                    % {"article": article.pk, "holder": holder.pk if holder else "?"}
                }
            ) from None
        rows, sent_back = claims_reanchor(article=article, revision=revision, actor=actor)
        # Search reads the new text, and the quotes that changed with it; the new sentences
        # are matched against the published claims once this is committed.
        search_index_article(article)
        edited = [row.claim_id for row in rows if row.outcome == Outcome.EDITED]
        search_index_claims(Claim.objects.filter(pk__in=edited).select_related("claimant"))
        match_when_committed(article)
    return RevisionOutcome(article, revision, rows, sent_back)


def article_check(
    *, article_id: int, actor: User | None, timeout: float | None = None
) -> RevisionOutcome:
    """Fetch the article's page again from its address (annotations.fetching, through
    services.articles.fetch_article) and record its text as a new revision if it changed,
    re-anchoring the claims; nothing when the text is the one already here.

    Editors and up (permissions.can_check_articles); `actor` None is the operator. Raises
    PermissionDenied before fetching anything; ValidationError on `url` for an article with
    no address, or a page that cannot be fetched or holds no article text, storing nothing.
    No transaction is held while the page is fetched, within `timeout` seconds at most
    (annotations.fetching.fetch).
    """
    if actor is not None and not permissions.can_check_articles(actor):
        raise PermissionDenied(_("Only editors, reviewers and admins can check articles."))
    address = Article.objects.filter(pk=article_id).values_list("source_url", flat=True).first()
    if address is None:
        raise Article.DoesNotExist(_("No such article."))
    if not address:
        raise ValidationError(
            {
                "url": _("Article #%(article)s has no address to check: it came from a file.")
                % {"article": article_id}
            }
        )
    data = fetch_article(address, timeout=timeout)
    return revision_record(
        article_id=article_id,
        body=data.body,
        kind=ArticleRevision.Kind.FETCH,
        actor=actor,
        **{name: getattr(data, name) for name in REVISION_METADATA_FIELDS},
    )


def article_edit_text(*, article_id: int, body: str, actor: User) -> RevisionOutcome:
    """An admin's correction of the article's text: a new revision (kind edit), the claims
    re-anchored on it. The revision carries the article's metadata as it stands."""
    if not permissions.can_import_articles(actor):
        raise PermissionDenied(_("Only admins can change an article's text."))
    article = Article.objects.get(pk=article_id)
    return revision_record(
        article_id=article_id,
        body=body,
        kind=ArticleRevision.Kind.EDIT,
        actor=actor,
        **{name: getattr(article, name) for name in REVISION_METADATA_FIELDS},
    )


def article_restore(
    *,
    title: str,
    source_url: str,
    publisher: str,
    byline: str,
    published_on: date | None,
    language: str,
    source_file: str,
    revisions: Sequence[ArticleRevision],
) -> ImportOutcome:
    """Store an article exported from a desk (annotations.native_import) with every revision
    of its text as it was (`revisions`: unsaved, numbered 1, 2, 3..., without their article;
    the last one's text is the article's). An article whose current text, or whose address,
    is here already is imported as any other text is (services.articles.article_import,
    kind restore): matched, or given that text as its next revision. Call inside the
    import's transaction. Raises ValidationError naming `revisions[N].field`."""
    numbers = [revision.number for revision in revisions]
    if not revisions or numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError({"revisions": _("Revisions must be numbered 1, 2, 3... in order.")})
    latest = revisions[-1]
    fields: dict[str, Any] = {
        "title": title,
        "body": latest.body,
        "source_url": source_url,
        "publisher": publisher,
        "byline": byline,
        "published_on": published_on,
        "language": language,
        "source_file": source_file,
    }
    digest = body_digest(normalise_newlines(latest.body))
    taken = Article.objects.filter(body_sha256=digest).exists() or (
        source_url and Article.objects.filter(source_url=source_url).exists()
    )
    if taken:
        return article_import(**fields, kind=ArticleRevision.Kind.RESTORE)
    errors: dict[str, list[str]] = {}
    for index, revision in enumerate(revisions):
        revision.body_sha256 = body_digest(revision.body)
        try:
            revision.full_clean(
                exclude=["article", "created_by"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"revisions[{index}].{name}"] = messages
    if errors:
        raise ValidationError(errors)
    article = Article(
        **fields,
        body_sha256=digest,
        imported_at=revisions[0].created_at,
        imported_by=revisions[0].created_by,
    )
    article.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic(savepoint=False):
        article.save()
        for revision in revisions:
            revision.article = article
        ArticleRevision.objects.bulk_create(revisions)
        article.current_revision = revisions[-1]
        article.save(update_fields=["current_revision"])
    return ImportOutcome(article, created=True)
