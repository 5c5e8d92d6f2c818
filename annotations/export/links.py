"""Where a claim and an article are on the web, as the JSON-LD formats and the public page
name them."""

from __future__ import annotations

from django.conf import settings

from annotations.models import Article


def public_claim_url(claim_id: int) -> str:
    return f"{settings.FACTCHECK_PUBLIC_BASE_URL}/claims/{claim_id}/"


def article_url(article: Article) -> str:
    """Where the article lives: its own URL when it has one, else its page on the desk."""
    return article.source_url or f"{settings.FACTCHECK_PUBLIC_BASE_URL}/articles/{article.pk}/"
