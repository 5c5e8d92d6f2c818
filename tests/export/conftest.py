"""A fixed desk for the export tests: fixed clock, fixed names, claims in every shape the
formats must carry (sources or none, an emoji before the span, a verdict off the numeric
scale, no claimant, markup in user text, unpublished states)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from annotations import services
from annotations.models import Article, Claim, Claimant, Source
from annotations.roles import Role
from tests.factories import ArticleFactory, make_user, verdict

BASE_URL = "https://desk.example.org"
START = dt.datetime(2026, 2, 11, 9, 0, tzinfo=dt.UTC)

EMOJI_BODY = (
    "🇫🇷🇷🇺 Paris, 10 February.\n"
    "The mayor said unemployment had fallen by half since 2020.\n"
    "The ministry said the budget doubled to 4.2 million euros.\n"
)
PLAIN_BODY = (
    "Council notes, 3 March.\n"
    'A councillor claimed the bridge <b>cost</b> nothing & was "free".\n'
    "The treasurer said the audit would be published in May.\n"
)


@dataclass
class Desk:
    articles: list[Article]
    claims: list[Claim]

    def approved(self) -> list[Claim]:
        return [c for c in self.claims if c.status == "approved"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """timezone.now() as the services call it: one minute later at every call."""
    ticks = itertools.count()
    monkeypatch.setattr(timezone, "now", lambda: START + dt.timedelta(minutes=next(ticks)))
    yield


@pytest.fixture
def export_settings(settings: Any) -> Any:
    settings.FACTCHECK_PUBLIC_BASE_URL = BASE_URL
    settings.FACTCHECK_PUBLISHER_NAME = "Example Fact Desk"
    settings.FACTCHECK_PUBLISHER_URL = f"{BASE_URL}/"
    return settings


def _claim(author: Any, article: Article, quote: str, **fields: Any) -> Claim:
    start = article.body.index(quote)
    return services.claim_create(
        author=author, article=article, start=start, end=start + len(quote), **fields
    )


def _decide(claim: Claim, author: Any, reviewer: Any, action: str, comment: str = "") -> Claim:
    claim = services.claim_transition(
        claim_id=claim.pk, actor=author, action="submit", version=claim.version
    )
    if action == "submit":
        return claim
    return services.claim_transition(
        claim_id=claim.pk, actor=reviewer, action=action, version=claim.version, comment=comment
    )


@pytest.fixture
def desk(db: Any, clock: None, export_settings: Any) -> Desk:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    paris = ArticleFactory(
        title="Paris, 10 February",
        body=EMOJI_BODY,
        source_url="https://news.example.org/paris-10-february",
        publisher="Example Gazette",
        byline="A. Reporter",
        published_on=dt.date(2026, 2, 10),
        language="en",
        # When its text arrived: the sourceDate of its annotations' TimeState.
        imported_at=START - dt.timedelta(hours=2),
    )
    council = ArticleFactory(
        title="Council notes",
        body=PLAIN_BODY,
        source_url="",
        publisher="",
        byline="",
        published_on=None,
        language="en",
        imported_at=START - dt.timedelta(hours=1),
    )
    halved = _claim(
        editor,
        paris,
        "unemployment had fallen by half since 2020",
        claimant="The mayor",
        verdict=verdict("false"),
        rationale="Official statistics show a 12% fall, not 50%.",
        sources=[
            {
                "url": "https://stats.example.org/unemployment",
                "title": "Labour force survey",
                "publisher": "Statistics Office",
                "kind": "dataset",
                "accessed_on": dt.date(2026, 2, 11),
                "passage": "Unemployment fell from 8.1% to 7.1%.",
            },
            {
                "url": "https://news.example.org/jobs-report",
                "archive_url": "https://archive.example.org/jobs-report",
                "kind": "news",
            },
        ],
    )
    halved = _decide(halved, editor, reviewer, "approve")
    doubled = _claim(
        editor,
        paris,
        "the budget doubled to 4.2 million euros",
        claim_text="The budget doubled to 4.2 million euros",
        verdict=verdict("misleading"),
        rationale="It doubled in nominal terms only.",
    )
    doubled = _decide(doubled, editor, reviewer, "approve")
    bridge = _claim(
        editor,
        council,
        'the bridge <b>cost</b> nothing & was "free"',
        claimant="A councillor",
        verdict=verdict("true"),
        rationale="The invoices </script><script>alert(1)</script> add up to zero.",
        sources=[{"url": "https://council.example.org/invoices?year=2026&page=1"}],
    )
    bridge = _decide(bridge, editor, reviewer, "approve")
    audit = _claim(
        editor,
        council,
        "the audit would be published in May",
        claimant="The treasurer",
        verdict=verdict("unverifiable"),
        rationale="No date has been announced.",
    )
    audit = _decide(audit, editor, reviewer, "submit")
    rejected = _claim(
        editor,
        council,
        "Council notes",
        verdict=verdict("half-true"),
        rationale="A heading, not a claim.",
    )
    rejected = _decide(rejected, editor, reviewer, "reject", comment="Not a claim.")
    draft = _claim(editor, paris, "Paris, 10 February")
    return Desk(articles=[paris, council], claims=[halved, doubled, bridge, audit, rejected, draft])


def normalise_ids(document: Any, desk: Desk) -> Any:
    """The export with database ids replaced by stable names (article-1, claim-3...), since
    PostgreSQL sequences do not restart between tests."""
    articles = {a.pk: f"article-{n}" for n, a in enumerate(desk.articles, start=1)}
    claims = {c.pk: f"claim-{n}" for n, c in enumerate(desk.claims, start=1)}
    claimants = {
        pk: f"claimant-{n}"
        for n, pk in enumerate(
            Claimant.objects.filter(claims__in=desk.claims)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True),
            start=1,
        )
    }
    sources = {
        pk: f"source-{n}"
        for n, pk in enumerate(
            Source.objects.filter(claim__in=desk.claims)
            .order_by("pk")
            .values_list("pk", flat=True),
            start=1,
        )
    }

    def text(value: str) -> str:
        value = re.sub(r"/claims/(\d+)/", lambda m: f"/claims/{claims[int(m[1])]}/", value)
        return re.sub(r"/articles/(\d+)/", lambda m: f"/articles/{articles[int(m[1])]}/", value)

    def walk(value: Any, section: str | None = None) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if section == "articles" and key == "id":
                    out[key] = articles[item]
                elif section == "claims" and key == "id":
                    out[key] = claims[item]
                elif section == "claims" and key == "article":
                    out[key] = articles[item]
                elif (section, key) == ("claimants", "id") or (
                    (section, key) == ("claims", "claimant_id") and item is not None
                ):
                    out[key] = claimants[item]
                elif section == "sources" and key == "id" and item is not None:
                    out[key] = sources[item]
                else:
                    out[key] = walk(
                        item, key if key in ("articles", "claimants", "claims", "sources") else None
                    )
            return out
        if isinstance(value, list):
            return [walk(item, section) for item in value]
        if isinstance(value, str):
            return text(value)
        return value

    return walk(document)
