"""The benchmark's data: users through the services, articles through article_import, and
claims in bulk (bulk_create of rows whose selectors come from anchoring.span_in, exactly as
claim_create cuts them), so that 100,000 claims load in well under a minute.

Import this module only after django.setup().
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from annotations import services
from annotations.anchoring import span_in
from annotations.models import Article, Claim, Source, Verdict
from annotations.roles import Role
from annotations.workflow import Status

PASSWORD = "bench-password-not-a-secret"
EDITOR = "bench-editor"
BATCH = 2000

_WHO = ["The minister", "The mayor", "A spokesperson", "The opposition leader", "The report"]
_WHAT = ["unemployment", "crime", "the deficit", "hospital waiting times", "rents", "emissions"]
_HOW = ["fell", "rose", "doubled", "halved", "stayed flat"]
_PLACES = ["in the capital", "nationwide", "in rural areas", "among young people", "in the north"]


@dataclass(frozen=True)
class Cast:
    editor: User
    reviewers: list[User]


def make_cast(reviewers: int) -> Cast:
    editor, _ = services.user_create_or_update(
        username=EDITOR, password=PASSWORD, role=Role.EDITOR, check_password=False
    )
    team = [
        services.user_create_or_update(
            username=f"bench-reviewer-{n}",
            password=PASSWORD,
            role=Role.REVIEWER,
            check_password=False,
        )[0]
        for n in range(1, reviewers + 1)
    ]
    return Cast(editor=editor, reviewers=team)


def article_text(sentences: int, seed: str) -> tuple[str, list[tuple[int, int]]]:
    """A body of `sentences` one-line sentences (about 15 words each) and their spans."""
    rng = random.Random(seed)
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for number in range(sentences):
        line = (
            f"{rng.choice(_WHO)} said {rng.choice(_WHAT)} {rng.choice(_HOW)} by "
            f"{rng.randint(2, 60)} percent {rng.choice(_PLACES)} since {rng.randint(2001, 2024)} "
            f"(paragraph {number + 1} of {seed})."
        )
        spans.append((position, position + len(line)))
        lines.append(line)
        position += len(line) + 1
    return "\n".join(lines) + "\n", spans


def make_article(
    seed: str, sentences: int, importer: User | None = None
) -> tuple[Article, list[tuple[int, int]]]:
    body, spans = article_text(sentences, seed)
    outcome = services.article_import(
        title=f"Benchmark article {seed}",
        body=body,
        source_url=f"https://news.example.org/bench/{seed}",
        publisher="Example Gazette",
        language="en",
        imported_by=importer,
    )
    return outcome.article, spans


def bulk_claims(
    *,
    article: Article,
    spans: list[tuple[int, int]],
    count: int,
    author: User,
    statuses: list[str],
    reviewer: User | None = None,
) -> int:
    """Store `count` claims on `article` (one per sentence, cycling through `statuses`),
    each with one source. Decided claims carry their reviewer and dates."""
    verdicts = list(Verdict.objects.order_by("order", "id"))
    now = timezone.now()
    claims: list[Claim] = []
    for number in range(count):
        start, end = spans[number % len(spans)]
        span = span_in(article.body, start, end)
        status = statuses[number % len(statuses)]
        moment = now - timedelta(seconds=count - number)
        decided = status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED)
        claims.append(
            Claim(
                article=article,
                **asdict(span),
                claim_text=span.quote.split(" (paragraph")[0],
                claimant=span.quote.split(" said ")[0],
                verdict=verdicts[number % len(verdicts)],
                rationale="The official statistics for the period show a different figure.",
                status=status,
                author=author,
                reviewer=reviewer if decided else None,
                submitted_at=moment if status != Status.DRAFT else None,
                published_at=moment if status == Status.APPROVED else None,
                created_at=moment,
                updated_at=moment,
            )
        )
    with transaction.atomic():
        for chunk in _chunks(claims, BATCH):
            stored = Claim.objects.bulk_create(chunk)
            Source.objects.bulk_create(
                Source(
                    claim=claim,
                    url=f"https://stats.example.org/tables/{claim.pk}",
                    title="Labour force survey",
                    publisher="National statistics office",
                    kind=Source.Kind.DATASET,
                )
                for claim in stored
            )
    return count


def spread_claims(
    *,
    seed: str,
    count: int,
    per_article: int,
    author: User,
    statuses: list[str],
    reviewer: User | None = None,
) -> int:
    """`count` claims spread over as many articles of `per_article` sentences as needed."""
    stored = 0
    part = 0
    while stored < count:
        part += 1
        batch = min(per_article, count - stored)
        article, spans = make_article(f"{seed}-{part}", per_article)
        stored += bulk_claims(
            article=article,
            spans=spans,
            count=batch,
            author=author,
            statuses=statuses,
            reviewer=reviewer,
        )
    return stored


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would within a
    minute: without them PostgreSQL plans for the empty tables it last saw."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def claim_payloads(article: Article, spans: list[tuple[int, int]]) -> Iterator[dict[str, object]]:
    """Bodies for POST /api/claims/, one per sentence of the article, as the page sends."""
    verdicts = list(Verdict.objects.order_by("order", "id").values_list("slug", flat=True))
    for number, (start, end) in enumerate(spans):
        quote = article.body[start:end]
        yield {
            "article": article.pk,
            "start": start,
            "end": end,
            "quote": quote,
            "claim_text": quote.split(" (paragraph")[0],
            "claimant": quote.split(" said ")[0],
            "verdict": verdicts[number % len(verdicts)],
            "rationale": "The official statistics for the period show a different figure.",
            "sources": [
                {
                    "url": f"https://stats.example.org/tables/{number}",
                    "title": "Labour force survey",
                    "kind": "dataset",
                }
            ],
        }


def _chunks(items: list[Claim], size: int) -> Iterator[list[Claim]]:
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]
