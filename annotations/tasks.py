"""Background tasks (django_tasks): work that must not hold up a request. Each is a thin
wrapper around a service, enqueued once the transaction that asks for it is committed."""

from __future__ import annotations

from django_tasks import task

from annotations.services.matching import article_match_known_claims


@task()
def match_article(article_id: int) -> int:
    """Match the sentences of an article (just imported) against the published claims."""
    return article_match_known_claims(article_id=article_id)
