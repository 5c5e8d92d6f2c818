"""Known claims in new articles: the sentences of an article that say what a published claim
says, stored as KnownClaim rows (replacing the article's earlier ones), and a repeat recorded
from one of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from annotations.matching import MIN_SENTENCE_WORDS, Matcher, published_for_matching, sentences
from annotations.models import Article, Claim, KnownClaim

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Matches kept per sentence.
PER_SENTENCE = 3


def article_match_known_claims(*, article_id: int) -> int:
    """Match every sentence of the article against the published claims (but its own) and
    store what matched; returns the number of matches. An article gone is no error (0)."""
    article = Article.objects.filter(pk=article_id).only("id", "body").first()
    if article is None:
        return 0
    matcher = Matcher(published_for_matching(article_id).iterator(chunk_size=5000))
    body = article.body
    now = timezone.now()
    rows = []
    for start, end in sentences(body):
        sentence = body[start:end]
        if len(sentence.split()) < MIN_SENTENCE_WORDS:
            continue
        for claim_id, value in matcher.best(sentence, limit=PER_SENTENCE):
            rows.append(
                KnownClaim(
                    article_id=article_id,
                    start=start,
                    end=end,
                    claim_id=claim_id,
                    score=value,
                    matched_at=now,
                )
            )
    with transaction.atomic():
        KnownClaim.objects.filter(article_id=article_id).delete()
        KnownClaim.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def claim_record_repeat(*, known_claim_id: int, author: User) -> Claim:
    """A draft claim on the sentence of a KnownClaim, repeating its published claim: the same
    restated claim, claimant and verdict (proposed; the author may change them), a rationale
    that points to the earlier fact-check, and repeat_of set. The claim rules of claim_create
    apply."""
    from annotations.services.claims import claim_create

    known = KnownClaim.objects.select_related("article", "claim", "claim__verdict").get(
        pk=known_claim_id
    )
    earlier = known.claim
    # The claim's content, so in the desk's language whoever records it.
    with translation.override(settings.LANGUAGE_CODE):
        rationale = _("Checked before: claim #%(number)d.") % {"number": earlier.pk}
    return claim_create(
        author=author,
        article=known.article,
        start=known.start,
        end=known.end,
        claim_text=earlier.claim_text,
        claimant=earlier.claimant,
        verdict=earlier.verdict,
        rationale=rationale,
        repeat_of=earlier,
    )
