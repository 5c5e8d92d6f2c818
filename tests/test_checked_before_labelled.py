"""The labelled set of "checked before?" (tests/labelled_claims.py) as a regression test:
recall at 5 and the precision of the first hit, through the database (checked_before, as the
claim form and the API ask) and through the article matcher (Matcher, as the task does),
printed (pytest -s) and held to the floors reached."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.importers import parse_file
from annotations.matching import Matcher, checked_before, published_for_matching
from annotations.models import Claim
from tests.factories import make_claim
from tests.labelled_claims import ARTICLES, CLAIMS, MUST_MATCH, MUST_NOT_MATCH, SEED

RECALL_AT_5_FLOOR = 0.95
FIRST_HIT_PRECISION_FLOOR = 1.0


@pytest.fixture
def published(editor, reviewer) -> dict[str, Claim]:  # type: ignore[no-untyped-def]
    (seed,) = parse_file(SEED)
    articles = {"seed": services.article_import(**vars(seed)).article}
    for key, (language, title, body) in ARTICLES.items():
        articles[key] = services.article_import(title=title, body=body, language=language).article
    claims = {}
    for key, (article, quote, restated) in CLAIMS.items():
        claims[key] = make_claim(
            author=editor,
            reviewer=reviewer,
            article=articles[article],
            quote=quote,
            claim_text=restated,
            status="approved",
        )
    # A draft saying the same as a published claim is never "checked before".
    make_claim(
        author=editor,
        article=articles["en"],
        quote="The city council approved a budget of 4.2 million euros on Tuesday",
        claim_text="The city council approved a budget of 4.2 million euros",
    )
    return claims


def _measure(rank) -> tuple[float, float, list[str]]:  # type: ignore[no-untyped-def]
    """(recall at 5, precision of the first hit, failures) of `rank`: text -> claim keys."""
    failures = []
    found_in_5 = 0
    first_hits = 0
    first_right = 0
    for text, key in MUST_MATCH:
        ranked = rank(text)
        if key in ranked[:5]:
            found_in_5 += 1
        else:
            failures.append(f"missed {key!r}: {text!r} -> {ranked}")
        if ranked:
            first_hits += 1
            first_right += ranked[0] == key
    for text, key in MUST_NOT_MATCH:
        ranked = rank(text)
        if ranked:
            first_hits += 1
        if key in ranked or (key is None and ranked):
            failures.append(f"near miss matched: {text!r} -> {ranked}")
    recall = found_in_5 / len(MUST_MATCH)
    precision = first_right / first_hits if first_hits else 1.0
    return recall, precision, failures


def test_the_labelled_set_has_sixty_pairs_in_three_languages() -> None:
    assert len(MUST_MATCH) + len(MUST_NOT_MATCH) >= 60
    assert {language for language, _, _ in ARTICLES.values()} == {"en", "fr", "ru"}


@pytest.mark.django_db
def test_checked_before_finds_the_labelled_claims(published: dict[str, Claim]) -> None:
    keys = {claim.pk: key for key, claim in published.items()}

    def rank(text: str) -> list[str]:
        return [keys[match.claim.pk] for match in checked_before(text)]

    recall, precision, failures = _measure(rank)
    print(
        f"\nchecked before (database), {len(MUST_MATCH)} must match, {len(MUST_NOT_MATCH)} "
        f"must not: recall@5 {recall:.3f}, precision of the first hit {precision:.3f}"
    )
    for failure in failures:
        print("  " + failure)
    assert recall >= RECALL_AT_5_FLOOR, failures
    assert precision >= FIRST_HIT_PRECISION_FLOOR, failures


@pytest.mark.django_db
def test_the_article_matcher_finds_the_labelled_claims(published: dict[str, Claim]) -> None:
    keys = {claim.pk: key for key, claim in published.items()}
    matcher = Matcher(published_for_matching())

    def rank(text: str) -> list[str]:
        return [keys[claim_id] for claim_id, _ in matcher.best(text, limit=5)]

    recall, precision, failures = _measure(rank)
    print(
        f"\narticle matcher, {len(MUST_MATCH)} must match, {len(MUST_NOT_MATCH)} must not: "
        f"recall@5 {recall:.3f}, precision of the first hit {precision:.3f}"
    )
    for failure in failures:
        print("  " + failure)
    assert recall >= RECALL_AT_5_FLOOR, failures
    assert precision >= FIRST_HIT_PRECISION_FLOOR, failures
