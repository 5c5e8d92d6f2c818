"""Search: claims and articles by their words, best first, and snippets with the words found.

Both functions narrow a queryset the caller has already scoped to what the user may see
(Claim.objects.visible_to, selectors.articles_visible_to): search never decides visibility.

A query is folded like the index (annotations.folding): case and accents do not matter, and
every word must be found; a word ending with * also finds the words that start with it. On
PostgreSQL the words are matched by the full-text index of the stored vectors and ranked by
ts_rank, plus, for a query of three words or more, the trigram similarity (pg_trgm) of the
restated claim to the query. On SQLite, FTS5 matches and bm25 ranks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.folding import WORD, fold_for_words, fold_with_map, key_of
from annotations.models import Article, ArticleFts, Claim, ClaimFts
from annotations.models.search import Bm25

# Longer queries cannot name anything better and only cost the database work.
MAX_QUERY = 200
# A query of this many words or more also ranks the claims by the trigram similarity of their
# restated text to it (PostgreSQL), so that near-identical wording comes first.
NEAR_MIN_WORDS = 3
# Matches ranked at most; beyond, newest first.
RANKED = 2000


# What a claimant is, for search and matching, and nowhere else in them: a record with a name
# (models.claimants). The relation to read with a claim to show it:
CLAIMANT_RELATED = ("claimant",)


def claimant_name(claim: Claim) -> str:
    """The claimant's name as search indexes and shows it. A claimant renamed or merged is
    indexed again with its claims (services.search.search_index_claims)."""
    return claim.claimant.name if claim.claimant is not None else ""


def claimant_named(name: str) -> Q:
    """Claims whose claimant has this name, case aside."""
    return Q(claimant__name__iexact=name)


# A word of a query, and whether it ends with * (any word that starts with it).
_TERM = re.compile(r"([^\W_]+)(\*?)")


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The folded words of a query, as the index holds them, each with whether it asks for
    the words that start with it (`dépa*`)."""
    folded = fold_for_words(query[:MAX_QUERY])
    return [(word, bool(star)) for word, star in _TERM.findall(folded)]


def query_words(query: str) -> list[str]:
    return [word for word, _ in query_terms(query)]


def _tsquery(terms: Sequence[tuple[str, bool]]) -> SearchQuery:
    text = " & ".join(f"{word}:*" if prefix else word for word, prefix in terms)
    return SearchQuery(text, search_type="raw", config="simple")


def _fts_query(terms: Sequence[tuple[str, bool]]) -> str:
    # Each word quoted, so that no word is read as an FTS5 operator (AND, NOT, NEAR).
    return " AND ".join(f'"{word}"*' if prefix else f'"{word}"' for word, prefix in terms)


def search_claims(claims: QuerySet[Claim], query: str) -> QuerySet[Claim]:
    """The claims of `claims` that hold every word of `query` (in the restated claim, quote,
    claimant, rationale or a source's title), annotated `rank` and ordered best first; newest
    first when more than RANKED match. A query without words returns `claims` as they were."""
    terms = query_terms(query)
    if not terms:
        return claims
    if connection.vendor == "postgresql":
        found = _tsquery(terms)
        matches = claims.filter(search__vector=found)
        rank: Any = SearchRank(F("search__vector"), found)
        if len(terms) >= NEAR_MIN_WORDS:
            rank = rank + TrigramSimilarity("search__claim_key", key_of(query))
    else:
        matches = claims.filter(fts__document__match=_fts_query(terms))
        rank = -Bm25(ClaimFts)
    if _too_many(matches):
        return matches.order_by("-id")
    return matches.annotate(rank=rank).order_by("-rank", "-id")


def _too_many(matches: QuerySet[Any]) -> bool:
    """Whether more than RANKED rows match: ranking them all would cost every request the
    time of reading each, for an order that a word more or a filter would make useful.
    PostgreSQL answers from its planner's estimate (its statistics of the words), without
    reading a row; SQLite counts up to RANKED + 1."""
    if connection.vendor == "postgresql":
        plan = json.loads(matches.values("pk").explain(format="json"))
        return bool(plan[0]["Plan"]["Plan Rows"] > RANKED)
    return matches.values("pk")[: RANKED + 1].count() > RANKED


def search_articles(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """The articles of `articles` whose title or text holds every word of `query`, annotated
    `rank` and ordered best first (newest first when more than RANKED match)."""
    terms = query_terms(query)
    if not terms:
        return articles
    if connection.vendor == "postgresql":
        found = _tsquery(terms)
        matches = articles.filter(search__vector=found)
        rank: Any = SearchRank(F("search__vector"), found)
    else:
        matches = articles.filter(fts__document__match=_fts_query(terms))
        rank = -Bm25(ArticleFts)
    if _too_many(matches):
        return matches.order_by("-id")
    return matches.annotate(rank=rank).order_by("-rank", "-id")


# --- Snippets -------------------------------------------------------------------------------


def _found(text: str, terms: Sequence[tuple[str, bool]]) -> list[tuple[int, int]]:
    """Spans of `text` (original offsets) whose folded word is a word of the query, or starts
    with one that ends with * (as the search matched them)."""
    if not terms:
        return []
    folded, origin = fold_with_map(text)
    exact = {word for word, prefix in terms if not prefix}
    starts = tuple(word for word, prefix in terms if prefix)
    spans = []
    for match in WORD.finditer(folded):
        word = match.group()
        if word in exact or (starts and word.startswith(starts)):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return spans


def highlight(text: str, query: str, *, width: int = 240) -> SafeString:
    """`text` escaped, with each word the query found in <mark>; cut to about `width`
    characters around the first of them (… where cut). Nothing but the marks is markup."""
    spans = _found(text, query_terms(query))
    start, end = 0, len(text)
    if len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 3, len(text) - width))
        end = min(len(text), start + width)
        # Whole words at the cuts.
        while start > 0 and not text[start - 1].isspace() and first - start < width // 2:
            start -= 1
        while end < len(text) and not text[end].isspace() and end - start < width + 20:
            end += 1
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < position or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def matches(text: str, query: str) -> bool:
    return bool(_found(text, query_terms(query)))
