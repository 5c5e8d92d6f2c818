"""sitemap.xml (django.contrib.sitemaps): the public lists and every fact-check online, each
dated by its latest correction. Retracted fact-checks are left out: their notice stays, but
there is nothing left to index."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap

from annotations.export import links
from annotations.models import Publication


class _OnTheDesksAddress(Sitemap):  # type: ignore[type-arg]
    """Addresses on the desk's public base (PUBLIC_BASE_URL, else the request's), as every
    other public link; the view answers under links.linking_for."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(links.base_url()).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(links.base_url()).netloc

    def _prefixed(self, path: str) -> str:
        return f"{urlsplit(links.base_url()).path}{path}"


class FactCheckSitemap(_OnTheDesksAddress):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> Any:
        return (
            Publication.objects.online()
            .order_by("-first_published_at", "-claim_id")
            .only("claim_id", "number", "published_at")
        )

    def location(self, item: Publication) -> str:
        return self._prefixed(f"/claims/{item.claim_id}/")

    def lastmod(self, item: Publication) -> datetime:
        return item.published_at


class ListsSitemap(_OnTheDesksAddress):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["/claims/", "/corrections/"]

    def location(self, item: str) -> str:
        return self._prefixed(item)


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "factchecks": FactCheckSitemap,
    "lists": ListsSitemap,
}
