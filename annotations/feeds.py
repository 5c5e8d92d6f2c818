"""Atom feeds of the public record (django.contrib.syndication): the fact-checks as they are
published, and the corrections and retractions. Both read annotations.public_record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed

from annotations import public_record
from annotations.export import links
from annotations.models import Publication, PublicationKind

FEED_SIZE = 50


class _PublicFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Entry links name the desk's public address (PUBLIC_BASE_URL), as the pages do.
        with links.linking_for(request):
            return super().__call__(request, *args, **kwargs)

    def item_pubdate(self, item: Publication) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Publication) -> datetime:
        return item.published_at

    def item_author_name(self, item: Publication) -> str:
        return str(settings.FACTCHECK_PUBLISHER_NAME)


class FactChecksFeed(_PublicFeed):
    title = "Fact-checks"
    subtitle = "Fact-checks as they are published."

    def link(self) -> str:
        return f"{links.base_url()}/claims/"

    def items(self) -> Any:
        return public_record.online()[:FEED_SIZE]

    def item_title(self, item: Publication) -> str:
        verdict = f"{item.verdict_label}: " if item.verdict_label else ""
        return f"{verdict}{item.claim_text}"

    def item_description(self, item: Publication) -> str:
        return item.rationale

    def item_link(self, item: Publication) -> str:
        return links.public_claim_url(item.claim_id)

    def item_pubdate(self, item: Publication) -> datetime:
        return item.first_published_at


class CorrectionsFeed(_PublicFeed):
    title = "Corrections and retractions"
    subtitle = "Every correction and retraction of a published fact-check, with its note."

    def link(self) -> str:
        return f"{links.base_url()}/corrections/"

    def items(self) -> Any:
        return public_record.corrections()[:FEED_SIZE]

    def item_title(self, item: Publication) -> str:
        what = "Retracted" if item.kind == PublicationKind.RETRACTED else "Corrected"
        return f"{what}: {item.claim_text}"

    def item_description(self, item: Publication) -> str:
        return item.note

    def item_link(self, item: Publication) -> str:
        return f"{links.public_claim_url(item.claim_id)}#correction-{item.number}"
