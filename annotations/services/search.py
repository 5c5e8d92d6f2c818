"""The search index: a claim's and an article's indexed text (models.ClaimSearch,
ArticleSearch), written whenever their text changes. The claim and article services call
these inside their own transaction, so the index never disagrees with what was saved; the
SQLite FTS5 tables follow the search tables by triggers (annotations/migrations/
_database_objects.py).
`manage.py search_reindex` rewrites every row, after a change made outside the services."""

from __future__ import annotations

from collections.abc import Iterable

from annotations.folding import article_document, claim_document, stored
from annotations.models import Article, ArticleSearch, Claim, ClaimSearch, Source
from annotations.search import CLAIMANT_RELATED, claimant_name


def _claim_row(claim: Claim, titles: list[str]) -> ClaimSearch:
    return ClaimSearch(
        claim=claim,
        document=claim_document(
            claim_text=claim.claim_text,
            quote=claim.quote,
            claimant=claimant_name(claim),
            rationale=claim.rationale,
            source_titles=titles,
        ),
        **dict(zip(("claim_key", "numbers", "names"), stored(claim.claim_text), strict=True)),
    )


def search_index_claims(
    claims: Iterable[Claim], *, titles: dict[int, list[str]] | None = None
) -> None:
    """Write the search rows of `claims` (saved, with their sources saved) as they are now.
    `titles`, when the caller has them, are the titles of each claim's sources, by claim id,
    in order; otherwise they are read."""
    claims = list(claims)
    if not claims:
        return
    if titles is not None:
        _write_claim_rows(claims, titles)
        return
    titles = {}
    sources = (
        Source.objects.filter(claim__in=[claim.pk for claim in claims])
        .exclude(title="")
        .order_by("claim_id", "position", "id")
        .values_list("claim_id", "title")
    )
    for claim_id, title in sources:
        titles.setdefault(claim_id, []).append(title)
    _write_claim_rows(claims, titles)


def _write_claim_rows(claims: list[Claim], titles: dict[int, list[str]]) -> None:
    rows = [_claim_row(claim, titles.get(claim.pk, [])) for claim in claims]
    # An update, not a delete and insert: SQLite's triggers then replace the FTS row once.
    ClaimSearch.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=["document", "claim_key", "numbers", "names"],
    )


def search_index_article(article: Article) -> None:
    """Write the search row of `article` (saved) as it is now."""
    row = ArticleSearch(
        article=article, document=article_document(title=article.title, body=article.body)
    )
    ArticleSearch.objects.bulk_create(
        [row], update_conflicts=True, unique_fields=["article"], update_fields=["document"]
    )


def search_reindex(*, batch: int = 1000) -> tuple[int, int]:
    """Rewrite every search row; returns (claims, articles)."""
    claims = 0
    ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), batch):
        chunk = list(
            Claim.objects.filter(pk__in=ids[first : first + batch]).select_related(
                *CLAIMANT_RELATED
            )
        )
        search_index_claims(chunk)
        claims += len(chunk)
    articles = 0
    for article in Article.objects.order_by("pk").iterator(chunk_size=100):
        search_index_article(article)
        articles += 1
    return claims, articles
