"""A desk's past, for the dashboard: claims submitted and decided over several weeks, written
as the record holds them (events and publications at past moments). The record is
append-only: these rows are inserted once, as the services would have written them then."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from annotations.models import Publication, PublicationKind, ReviewEvent, Verdict
from annotations.workflow import Action, Status
from tests.factories import ARTICLE_BODY, ArticleFactory, make_claim

OUTCOMES = [
    (Action.APPROVE, Status.APPROVED),
    (Action.APPROVE, Status.APPROVED),
    (Action.REQUEST_CHANGES, Status.CHANGES_REQUESTED),
    (Action.REJECT, Status.REJECTED),
]


def seed_history(*, author, reviewers, weeks: int = 8, per_week: int = 5, seed: int = 7) -> int:  # type: ignore[no-untyped-def]
    """`per_week` claims a week for `weeks` weeks, each submitted and decided hours later by
    one of `reviewers`; approvals published with a verdict of the scale. Returns how many
    decisions were written. The claims themselves stay drafts: only the record is old."""
    chance = random.Random(seed)
    verdicts = list(Verdict.objects.order_by("order"))
    now = timezone.now()
    article = ArticleFactory(body=ARTICLE_BODY * (weeks * per_week))
    decided = 0
    for number in range(weeks * per_week):
        start = article.body.index("The mayor", number * len(ARTICLE_BODY))
        claim = make_claim(
            author=author, article=article, quote=article.body[start : start + len("The mayor")]
        )
        submitted = now - timedelta(weeks=weeks) + timedelta(hours=number * 168 / per_week)
        decided_at = submitted + timedelta(hours=chance.uniform(0.5, 40))
        ReviewEvent.objects.create(
            claim=claim,
            actor=author,
            action=Action.SUBMIT,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
            created_at=submitted,
        )
        if decided_at > now:
            continue
        action, target = chance.choice(OUTCOMES)
        ReviewEvent.objects.create(
            claim=claim,
            actor=chance.choice(reviewers),
            action=action,
            from_status=Status.SUBMITTED,
            to_status=target,
            comment="Checked." if action == Action.APPROVE else "See the survey.",
            created_at=decided_at,
        )
        decided += 1
        if action == Action.APPROVE:
            verdict = chance.choice(verdicts)
            Publication.objects.create(
                claim=claim,
                number=1,
                kind=PublicationKind.PUBLISHED,
                published_at=decided_at,
                first_published_at=decided_at,
                article=article,
                revision_id=claim.revision_id,
                start=claim.start,
                end=claim.end,
                quote=claim.quote,
                claim_text=claim.claim_text,
                verdict=verdict,
                verdict_label=verdict.label,
            )
    return decided
