""" "Checked before?": the published claims that say what a text says.

One score decides everywhere (annotations.folding.score, with its threshold and its guards on
numbers, negation and names); what differs is how the candidates it scores are found. Both
ways use the score's first guard: a claim matches only a text that holds all its numbers.

- checked_before(text): a few dozen candidates from the database, for one text at a time
  (the claim form, the review screen, GET /api/claims/checked-before/): the claims whose set
  of numbers is a subset of the text's (an index on ClaimSearch.numbers), nearest in wording
  first (pg_trgm's trigram distance on PostgreSQL); and the claims without numbers sharing
  most of the text's words (full-text index: ts_rank, or FTS5's bm25).
- Matcher: every published claim in memory, for the many sentences of an article (the
  matching task, annotations.tasks), filed the same two ways.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramDistance
from django.db import connection
from django.db.models import F, QuerySet

from annotations.folding import (
    THRESHOLD,
    Features,
    features,
    key_of,
    score,
    stored_features,
)
from annotations.models import Article, Claim, ClaimFts, ClaimSearch, KnownClaim
from annotations.models.search import Bm25

if TYPE_CHECKING:
    from annotations.roles import AnyUser

# Candidates fetched per way of finding them, before scoring.
CANDIDATES = 30
# A text's numbers whose subsets are looked up (2**8 - 1 sets at most).
MOST_NUMBERS = 8
# Longest text "checked before?" takes: a paragraph, not an article.
MAX_TEXT = 2000
# Fewest words a sentence needs to be matched: shorter ones say too little to be a claim.
MIN_SENTENCE_WORDS = 4


def published_claims() -> QuerySet[Claim]:
    """The claims the public sees: those a repeat can point to."""
    return Claim.objects.visible_to(None)


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float


def checked_before(text: str, *, limit: int = 5, exclude: int | None = None) -> list[Match]:
    """The published claims that say what `text` says, best first (then the most recently
    published), at most `limit`; empty when none reaches the threshold. `exclude` is a claim
    to leave out (the one under review)."""
    given = features(text)
    if not given.content:
        return []
    ids = _candidates(text, given)
    if exclude is not None:
        ids.discard(exclude)
    if not ids:
        return []
    claims = published_claims().filter(pk__in=ids).select_related("verdict", "search")
    found = [Match(claim, score(_stored_features(claim.search), given)) for claim in claims]
    found = [match for match in found if match.score >= THRESHOLD]
    found.sort(key=lambda m: (-m.score, -(m.claim.published_at or m.claim.created_at).timestamp()))
    return found[:limit]


def _stored_features(row: ClaimSearch) -> Features:
    return stored_features(row.claim_key, row.numbers, row.names)


def published_for_matching(
    exclude_article: int | None = None,
) -> QuerySet[ClaimSearch, tuple[int, str, str, str]]:
    """(claim id, claim_key, numbers, names) of every published claim (but those of
    `exclude_article`), to build a Matcher from."""
    claims = published_claims()
    if exclude_article is not None:
        claims = claims.exclude(article_id=exclude_article)
    return ClaimSearch.objects.filter(claim__in=claims).values_list(
        "claim_id", "claim_key", "numbers", "names"
    )


def number_sets(numbers: Iterable[str]) -> list[str]:
    """Every non-empty subset of `numbers` (its MOST_NUMBERS smallest) as ClaimSearch.numbers
    holds a set: sorted, joined by spaces. A claim can match a text only when its numbers are
    one of these, or none."""
    kept = sorted(numbers)[:MOST_NUMBERS]
    return [
        " ".join(subset) for size in range(1, len(kept) + 1) for subset in combinations(kept, size)
    ]


def _candidates(text: str, given: Features) -> set[int]:
    """Published claims that may say what `text` says: those whose numbers are all in the text,
    nearest in wording first (trigram distance, on PostgreSQL), and those without numbers that
    share the most of its words (any of them, by their stems)."""
    published = published_claims()
    found: set[int] = set()
    sets = number_sets(given.numbers)
    if sets:
        with_numbers = published.filter(search__numbers__in=sets)
        if connection.vendor == "postgresql":
            with_numbers = with_numbers.order_by(TrigramDistance("search__claim_key", key_of(text)))
        else:
            with_numbers = with_numbers.order_by("-id")
        found.update(with_numbers.values_list("pk", flat=True)[:CANDIDATES])
    stems = sorted(given.content)
    without_numbers = published.filter(search__numbers="")
    if connection.vendor == "postgresql":
        any_word = SearchQuery(
            " | ".join(f"{stem}:*" for stem in stems), search_type="raw", config="simple"
        )
        ranked = without_numbers.filter(search__vector=any_word).order_by(
            SearchRank(F("search__vector"), any_word).desc(), "-id"
        )
    else:
        any_word_fts = " OR ".join(f'"{stem}"*' for stem in stems)
        ranked = without_numbers.filter(fts__document__match=any_word_fts).order_by(
            Bm25(ClaimFts), "-id"
        )
    found.update(ranked.values_list("pk", flat=True)[:CANDIDATES])
    return found


# --- Sentences of an article ----------------------------------------------------------------

# The end of a sentence: its mark, any closing quote or bracket, then a space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”»’)\]]*(?=\s)")


def sentences(body: str) -> list[tuple[int, int]]:
    """The sentences of `body` as (start, end) code-point spans, spaces trimmed: a line is cut
    after each sentence mark followed by a space."""
    spans = []
    position = 0
    for line in body.split("\n"):
        cut = 0
        ends = [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]
        for end in ends:
            piece = line[cut:end]
            stripped = piece.strip()
            if stripped:
                start = position + cut + (len(piece) - len(piece.lstrip()))
                spans.append((start, start + len(stripped)))
            cut = end
        position += len(line) + 1
    return spans


class Matcher:
    """Every claim given, in memory, to match many sentences at once.

    A claim with numbers can only match a text holding all of them (the score's first
    guard), so those claims are filed under their set of numbers and a text looks up the
    subsets of its own. The others are filed under their words, and a text reads the lists of
    its rarest words first, up to BUDGET entries, keeping the SCORED claims sharing most."""

    BUDGET = 20_000
    SCORED = 200

    def __init__(self, claims: Iterable[tuple[int, str, str, str]]) -> None:
        """`claims`: (id, claim_key, numbers, names) as published_for_matching reads them."""
        self.ids: list[int] = []
        self.stored: list[tuple[str, str, str]] = []
        # Each claim's Features, made when it is first a candidate.
        self.features: dict[int, Features] = {}
        self.by_numbers: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}
        for claim_id, key, numbers, names in claims:
            index = len(self.ids)
            self.ids.append(claim_id)
            self.stored.append((key, numbers, names))
            if numbers:
                self.by_numbers.setdefault(numbers, []).append(index)
            else:
                for word in self._features(index).content:
                    self.by_word.setdefault(word, []).append(index)

    def _features(self, index: int) -> Features:
        found = self.features.get(index)
        if found is None:
            found = self.features[index] = stored_features(*self.stored[index])
        return found

    def _candidates(self, given: Features) -> set[int]:
        found: set[int] = set()
        for numbers in number_sets(given.numbers):
            found.update(self.by_numbers.get(numbers, ()))
        lists = sorted(
            (self.by_word[word] for word in given.content if word in self.by_word), key=len
        )
        hits: Counter[int] = Counter()
        read = 0
        for number, postings in enumerate(lists):
            if number >= 2 and read + len(postings) > self.BUDGET:
                break
            hits.update(postings)
            read += len(postings)
        found.update(index for index, _ in hits.most_common(self.SCORED))
        return found

    def best(self, text: str, limit: int = 3) -> list[tuple[int, float]]:
        """(claim id, score) of the claims `text` says the same as, best first."""
        given = features(text)
        if not given.content:
            return []
        scored = []
        for index in self._candidates(given):
            value = score(self._features(index), given)
            if value >= THRESHOLD:
                scored.append((self.ids[index], value))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:limit]


# --- Known claims of an article ---------------------------------------------------------


@dataclass(frozen=True)
class KnownClaimRow:
    known: KnownClaim
    sentence: str
    # The claim on this sentence already recorded as a repeat of the known claim, if any.
    recorded: int | None


def known_claims_for(user: AnyUser | None, article: Article) -> list[KnownClaimRow]:
    """The sentences of `article` found to repeat a claim still published, in document order
    (the best match first within a sentence), each with the claim `user` can see that already
    records the repeat."""
    known = list(
        KnownClaim.objects.filter(article=article, claim__in=published_claims())
        .select_related("claim", "claim__verdict")
        .order_by("start", "-score", "id")
    )
    if not known:
        return []
    recorded = {
        (start, end, earlier): pk
        for start, end, earlier, pk in Claim.objects.visible_to(user)
        .filter(article=article, repeat_of__isnull=False)
        .values_list("start", "end", "repeat_of_id", "pk")
    }
    return [
        KnownClaimRow(
            row, article.body[row.start : row.end], recorded.get((row.start, row.end, row.claim_id))
        )
        for row in known
    ]
