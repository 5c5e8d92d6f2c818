"""Write the search index again (annotations.services.search): after a change made outside
the services, such as a SQL update or a script."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from annotations.services.search import search_reindex


class Command(BaseCommand):
    help = "Write the search index of every claim and article again."

    def handle(self, *args: Any, **options: Any) -> None:
        claims, articles = search_reindex()
        self.stdout.write(f"Indexed {claims} claims and {articles} articles.")
