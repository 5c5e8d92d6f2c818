"""An article's revisions on the desk: reading an earlier text with the claims where they
stood in it, comparing two texts, and "Check for changes". Reads go through selectors, the
check through services.revisions.article_check, as the API's and the command's do."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from annotations import permissions, selectors
from annotations.anchoring import InContext, paragraph_around
from annotations.diffs import text_runs
from annotations.errors import refusal_message
from annotations.models import Article, ArticleRevision, Claim, Reanchoring
from annotations.query_params import refuse_repeats
from annotations.request_user import acting_user
from annotations.services.revisions import article_check, current_number, describe_revision


@dataclass(frozen=True)
class Piece:
    """A stretch of a revision's text and the claims (id, status, text) covering it."""

    text: str
    claims: tuple[tuple[int, str, str], ...] = ()

    @property
    def title(self) -> str:
        return "; ".join(f"#{pk} ({status}): {text}" for pk, status, text in self.claims)


@dataclass(frozen=True)
class Orphan:
    """An orphaned claim as the annotation page lists it: the claim, its passage in the text
    it was last placed in, the reason it was lost, and whether the user may re-attach it."""

    claim: Claim
    context: InContext
    reason: str
    can_reattach: bool


def revision_context(user: Any, article: Article) -> dict[str, Any]:
    """What the annotation page shows of the article's revisions: which one is read, how many
    there are, what became of the claims when the current one arrived, and the orphans.
    `article` is read by selectors.article_page_of, with its current revision and their
    count."""
    current = article.current_revision
    count: int = article.revision_count  # type: ignore[attr-defined]
    # A claim is orphaned or re-anchored only when a later revision arrives: with one
    # revision there is nothing to read.
    orphans = list(selectors.orphaned_claims_of(user, article)) if count > 1 else []
    texts = dict(
        ArticleRevision.objects.filter(pk__in={c.revision_id for c in orphans}).values_list(
            "pk", "body"
        )
    )
    outcomes = list(selectors.reanchorings_in(user, current)) if current and count > 1 else []
    # An orphan lost its passage when the current revision arrived, or earlier (then it has
    # no outcome in this one, and no reason is shown).
    reasons = {row.claim_id: row.reason_sentence() for row in outcomes}
    return {
        "revision": current,
        "revision_count": count,
        "outcomes": outcomes,
        "orphans": [
            Orphan(
                claim=claim,
                context=paragraph_around(texts[claim.revision_id], claim.start, claim.end),
                reason=reasons.get(claim.pk, ""),
                can_reattach=permissions.can_reattach_claim(user, claim),
            )
            for claim in orphans
        ],
        "can_check": bool(article.source_url) and permissions.can_check_articles(user),
    }


@login_required
@require_GET
def article_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One revision of the article, read-only, with each claim the user may see marked where
    it stood in that text, where that is known: the claim is placed in it now, or was placed
    in it when it arrived, or was there when the next one came."""
    article = selectors.article_visible_to(request.user, pk)
    revision = selectors.revision_of(article, number)
    claims = selectors.claims_of_article(request.user, article)
    spans = _spans_in(revision, claims)
    shown = {
        claim.pk: claim for claim in claims.filter(pk__in=spans).only("pk", "status", "claim_text")
    }
    placed = [(start, end, shown[pk]) for pk, (start, end) in spans.items() if pk in shown]
    return render(
        request,
        "annotations/article_revision.html",
        {
            "article": article,
            "revision": revision,
            "revisions": selectors.revisions_of(article),
            "pieces": _pieces(revision.body, placed),
            "placed": len(placed),
            "unplaced": claims.count() - len(placed),
        },
    )


def _spans_in(revision: ArticleRevision, claims: Any) -> dict[int, tuple[int, int]]:
    """Where each of `claims` stood in `revision`, by claim id, where known."""
    spans: dict[int, tuple[int, int]] = {}
    rows = Reanchoring.objects.filter(
        Q(revision=revision, new_start__isnull=False) | Q(from_revision=revision),
        claim__in=claims.values("pk"),
    ).order_by("-id")
    for claim_id, into, start, end, old_start, old_end in rows.values_list(
        "claim_id", "revision_id", "new_start", "new_end", "old_start", "old_end"
    ):
        if into == revision.pk and start is not None and end is not None:
            spans[claim_id] = (start, end)
        else:
            spans.setdefault(claim_id, (old_start, old_end))
    for claim_id, start, end in claims.filter(revision=revision).values_list("pk", "start", "end"):
        spans[claim_id] = (start, end)
    return spans


def _pieces(body: str, placed: list[tuple[int, int, Claim]]) -> list[Piece]:
    """`body` cut at every claim's ends, each piece with the claims covering it."""
    cuts = sorted({0, len(body), *(s for s, _, _ in placed), *(e for _, e, _ in placed)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = tuple(
            (claim.pk, claim.get_status_display(), claim.claim_text)
            for s, e, claim in placed
            if s <= start and end <= e
        )
        pieces.append(Piece(body[start:end], covering))
    return pieces


@login_required
@require_GET
def article_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two revisions of the article's text side by side in one: what the later one inserted
    and deleted (`from` and `to`, revision numbers; by default the one before the current
    and the current)."""
    refuse_repeats(request.GET)
    article = selectors.article_visible_to(request.user, pk)
    revisions = list(selectors.revisions_of(article))
    numbers = [revision.number for revision in revisions]
    latest = numbers[-1] if numbers else 1
    try:
        to = int(request.GET.get("to", latest))
        since = int(request.GET.get("from", max(to - 1, 1)))
    except ValueError:
        raise Http404("No such revision.") from None
    before = selectors.revision_of(article, since)
    after = selectors.revision_of(article, to)
    return render(
        request,
        "annotations/article_compare.html",
        {
            "article": article,
            "revisions": revisions,
            "before": before,
            "after": after,
            "runs": text_runs(before.body, after.body) if before.pk != after.pk else [],
            "title_changed": before.title != after.title,
        },
    )


@login_required
@require_POST
def article_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Check for changes": fetch the article again and record a new revision if its text
    changed; back to the article with what was found, or why the check failed."""
    article = selectors.article_visible_to(request.user, pk)
    back = HttpResponseRedirect(reverse("article-detail", args=[article.pk]))
    try:
        outcome = article_check(article_id=article.pk, actor=acting_user(request))
    except ValidationError as refusal:
        messages.error(
            request, _("Nothing was recorded: %(reason)s") % {"reason": refusal_message(refusal)}
        )
        return back
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    if outcome.revision is None:
        messages.info(
            request,
            _("No change: the page's text is the one already here (revision %(number)d).")
            % {"number": current_number(outcome.article)},
        )
    else:
        messages.success(
            request,
            _("The article changed: %(what)s.") % {"what": describe_revision(outcome)},
        )
    return back
