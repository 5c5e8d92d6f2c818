"""The benchmark's data, stored only through the application's public functions: users with
services.user_create_or_update, articles with services.article_import, and claims in bulk
through the restore path of `manage.py import_claims` (native_import.claims_import_native),
one native export document per article, built in memory.

The articles' text is multilingual on purpose: curly quotes, dashes, Cyrillic and emoji
(flags and ZWJ sequences among them) in every sentence, so that whatever encodes the claims
(the HTML page's embedded JSON, the API, the exports) pays for non-ASCII text as a real desk's
would.

Import this module only after django.setup().
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from annotations import services
from annotations.export import NATIVE_VERSION
from annotations.models import Article
from annotations.native_import import claims_import_native
from annotations.roles import Role
from annotations.workflow import Action, Status

PASSWORD = "bench-password-not-a-secret"
EDITOR = "bench-editor"
# Sentences per article that the queue and export claims are spread over: one native
# document (one import transaction) per article.
PER_ARTICLE = 2000

_WHO = [
    "The minister",
    "The mayor",
    "A spokesperson",
    "The opposition leader",
    "Министр финансов",
    "Мэр Новосибирска",
]
_WHAT = ["unemployment", "crime", "the deficit", "hospital waiting times", "rents", "emissions"]
_HOW = ["fell", "rose", "doubled", "halved", "stayed flat"]
_PLACES = ["in the capital", "nationwide", "in rural areas", "among young people", "в регионах"]
_SAYS = [
    "по данным Росстата",
    "пишет «Коммерсантъ»",
    "заявил депутат Госдумы",
    "сообщает «Ведомости»",
]
# Single code points, a flag (two regional indicators) and ZWJ sequences.
_EMOJI = ["📈", "📉", "🇺🇦", "🇪🇺", "👩‍⚕️", "👨‍👩‍👧", "🏳️‍🌈", "💶"]
RATIONALE = "The official statistics for the period show a different figure — см. таблицу 3 📊."
SOURCE_TITLE = "Labour force survey — Обследование рабочей силы"
REJECTION = "The figure is not in the source — цифры нет в источнике."


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


def sentence(rng: random.Random, number: int, seed: str) -> str:
    """One line of an article: who said what, the claim in curly quotes, a dash, a Cyrillic
    attribution and an emoji, and the paragraph's place (which makes every line unique)."""
    return (
        f"{rng.choice(_WHO)} said “{rng.choice(_WHAT)} {rng.choice(_HOW)} by "
        f"{rng.randint(2, 60)} percent {rng.choice(_PLACES)} since {rng.randint(2001, 2024)}” — "
        f"{rng.choice(_SAYS)} {rng.choice(_EMOJI)} (paragraph {number + 1} of {seed})."
    )


def article_text(sentences: int, seed: str) -> tuple[str, list[tuple[int, int]]]:
    """A body of `sentences` one-line sentences and their spans, in code points (the unit of
    the API's and the native format's offsets)."""
    rng = random.Random(seed)
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for number in range(sentences):
        line = sentence(rng, number, seed)
        spans.append((position, position + len(line)))
        lines.append(line)
        position += len(line) + 1
    return "\n".join(lines) + "\n", spans


def claim_parts(quote: str) -> tuple[str, str]:
    """(claimant, claim_text) of one of the sentences above: who said it, and what is in
    the curly quotes."""
    claimant, _, rest = quote.partition(" said ")
    return claimant, rest.partition("“")[2].partition("”")[0] or quote


def make_article(seed: str, sentences: int) -> tuple[Article, list[tuple[int, int]]]:
    body, spans = article_text(sentences, seed)
    outcome = services.article_import(
        title=f"Benchmark article {seed} — «тест» 📰",
        body=body,
        source_url=f"https://news.example.org/bench/{seed}",
        publisher="Example Gazette",
        language="en",
    )
    return outcome.article, spans


# --- Claims, as native export documents ----------------------------------------------------


class Clock:
    """Creation times one second apart from a start in the past: a restore skips a claim
    with the same article, span, author and created_at as one already stored, so no two
    claims of a run may share one."""

    def __init__(self, start: datetime | None = None) -> None:
        self.next = start or datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)

    def tick(self) -> datetime:
        moment, self.next = self.next, self.next + timedelta(seconds=1)
        return moment


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _event(action: str, actor: str, before: str, after: str, at: datetime) -> dict[str, Any]:
    return {
        "action": str(action),
        "actor": actor,
        "from_status": str(before),
        "to_status": str(after),
        "comment": REJECTION
        if action in (Action.REJECT, Action.REQUEST_CHANGES, Action.RETRACT)
        else "",
        "created_at": _stamp(at),
    }


_DECISIONS: dict[str, str] = {
    Status.APPROVED: Action.APPROVE,
    Status.REJECTED: Action.REJECT,
    Status.CHANGES_REQUESTED: Action.REQUEST_CHANGES,
}


def native_claim(
    *,
    article_id: int,
    body: str,
    span: tuple[int, int],
    status: str,
    author: str,
    reviewer: str | None,
    verdict: str | None,
    created: datetime,
    number: int,
) -> dict[str, Any]:
    """One claim as a native export holds it, with the history that led to `status`: the
    author's create (and submit, unless a draft), then the reviewer's decision, if any."""
    start, end = span
    quote = body[start:end]
    claimant, claim_text = claim_parts(quote)
    submitted = created + timedelta(minutes=1)
    decided = created + timedelta(hours=1)
    history = [_event(Action.CREATE, author, "", Status.DRAFT, created)]
    updated = created
    if status != Status.DRAFT:
        history.append(_event(Action.SUBMIT, author, Status.DRAFT, Status.SUBMITTED, submitted))
        updated = submitted
    # A retracted claim was published first, then retracted.
    decision = _DECISIONS.get(Status.APPROVED if status == Status.RETRACTED else status)
    if decision is not None:
        if reviewer is None:
            raise ValueError(f"a {status} claim needs a reviewer")
        decided_status = Status.APPROVED if status == Status.RETRACTED else status
        history.append(_event(decision, reviewer, Status.SUBMITTED, decided_status, decided))
        updated = decided
    if status == Status.RETRACTED:
        updated = decided + timedelta(hours=1)
        history.append(_event(Action.RETRACT, reviewer, Status.APPROVED, status, updated))
    return {
        "article": article_id,
        "start": start,
        "end": end,
        "quote": quote,
        "claim_text": claim_text,
        "claimant": claimant,
        "verdict": verdict,
        "rationale": RATIONALE,
        "status": str(status),
        "author": author,
        "reviewer": reviewer if decision is not None else None,
        "version": len(history),
        "created_at": _stamp(created),
        "updated_at": _stamp(updated),
        "submitted_at": _stamp(submitted) if status != Status.DRAFT else None,
        "published_at": _stamp(decided) if status in (Status.APPROVED, Status.RETRACTED) else None,
        "sources": [
            {
                "url": f"https://stats.example.org/tables/{number}",
                "title": SOURCE_TITLE,
                "publisher": "National statistics office",
                "kind": "dataset",
            }
        ],
        "history": history,
    }


def native_document(
    *,
    article: Article,
    spans: Sequence[tuple[int, int]],
    count: int,
    statuses: Sequence[str],
    author: str,
    reviewer: str | None,
    verdicts: Sequence[Mapping[str, Any]],
    clock: Clock,
) -> dict[str, Any]:
    """A native export of `count` claims on `article`, one per sentence in turn (several on
    a sentence when there are more claims than sentences), cycling through `statuses` and
    the verdicts."""
    slugs: list[str | None] = [str(verdict["slug"]) for verdict in verdicts] or [None]
    claims = [
        native_claim(
            article_id=1,
            body=article.body,
            span=spans[number % len(spans)],
            status=statuses[number % len(statuses)],
            author=author,
            reviewer=reviewer,
            verdict=slugs[number % len(slugs)],
            created=clock.tick(),
            number=number,
        )
        for number in range(count)
    ]
    return {
        "format": "factcheck-native",
        "version": NATIVE_VERSION,
        "exported_at": _stamp(datetime.now(UTC)),
        "verdicts": [dict(verdict) for verdict in verdicts],
        # The article's text identifies it: the import finds the one already stored.
        "articles": [{"id": 1, "title": article.title, "body": article.body}],
        "claims": claims,
    }


@dataclass
class Loader:
    """Stores claims through claims_import_native and keeps the time it took."""

    verdicts: list[dict[str, Any]]
    clock: Clock = field(default_factory=Clock)
    claims: int = 0
    seconds: float = 0.0
    steps: list[dict[str, Any]] = field(default_factory=list)

    def claims_on(
        self,
        *,
        article: Article,
        spans: Sequence[tuple[int, int]],
        count: int,
        author: User,
        statuses: Sequence[str],
        reviewer: User | None = None,
    ) -> int:
        """Store `count` claims on `article` in one document (one transaction)."""
        document = native_document(
            article=article,
            spans=spans,
            count=count,
            statuses=statuses,
            author=author.get_username(),
            reviewer=None if reviewer is None else reviewer.get_username(),
            verdicts=self.verdicts,
            clock=self.clock,
        )
        started = time.perf_counter()
        report = claims_import_native(document, source_file="bench")
        self.seconds += time.perf_counter() - started
        if report.claims_created != count:
            raise RuntimeError(
                f"{count} claims sent, {report.claims_created} stored "
                f"({report.claims_skipped} skipped as already there)"
            )
        self.claims += count
        return count

    def spread(
        self,
        *,
        seed: str,
        count: int,
        author: User,
        statuses: Sequence[str],
        reviewer: User | None = None,
    ) -> int:
        """`count` claims over as many new articles of PER_ARTICLE sentences as needed; the
        step's time (articles and claims) is kept in `steps`."""
        started = time.perf_counter()
        stored = 0
        for part, batch in enumerate(_batches(count, PER_ARTICLE), start=1):
            article, spans = make_article(f"{seed}-{part}", PER_ARTICLE)
            stored += self.claims_on(
                article=article,
                spans=spans,
                count=batch,
                author=author,
                statuses=statuses,
                reviewer=reviewer,
            )
        self.steps.append(
            {"step": seed, "claims": stored, "seconds": round(time.perf_counter() - started, 2)}
        )
        return stored


def _batches(count: int, size: int) -> Iterator[int]:
    while count > 0:
        yield min(size, count)
        count -= size


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would within a
    minute: without them PostgreSQL plans for the empty tables it last saw. Maintenance,
    not data: it writes no row of the application's."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def claim_payloads(
    article: Article, spans: Sequence[tuple[int, int]], verdicts: Sequence[str]
) -> Iterator[dict[str, object]]:
    """Bodies for POST /api/claims/, one per sentence of the article, as the page sends."""
    for number, (start, end) in enumerate(spans):
        quote = article.body[start:end]
        claimant, claim_text = claim_parts(quote)
        yield {
            "article": article.pk,
            "start": start,
            "end": end,
            "quote": quote,
            "claim_text": claim_text,
            "claimant": claimant,
            "verdict": verdicts[number % len(verdicts)],
            "rationale": RATIONALE,
            "sources": [
                {
                    "url": f"https://stats.example.org/tables/{number}",
                    "title": SOURCE_TITLE,
                    "kind": "dataset",
                }
            ],
        }
