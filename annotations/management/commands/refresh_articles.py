"""Check articles for a new text: `manage.py refresh_articles [--article ID]...`, for cron."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.template.defaultfilters import pluralize

from annotations.errors import refusal_message
from annotations.models import Article
from annotations.services.revisions import article_check, describe_revision


class Command(BaseCommand):
    help = (
        "Fetch every article that has an address again (or those named with --article) and "
        "record a new revision of each whose text changed, re-anchoring its claims. One line "
        "per article on standard output (unchanged / revised), refusals on standard error; "
        "a failed article does not stop the others. Exit status 0 when every article was "
        "checked, 1 when any could not be."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--article",
            action="append",
            type=int,
            metavar="ID",
            dest="articles",
            help="check this article only (repeat for several)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            metavar="SECONDS",
            help="give up a fetch after this long (at most FETCH_TIMEOUT, the default)",
        )

    def handle(
        self, *args: Any, articles: list[int] | None, timeout: float | None, **options: Any
    ) -> None:
        if timeout is not None and timeout <= 0:
            raise CommandError("--timeout must be a positive number of seconds.")
        if articles:
            ids = list(dict.fromkeys(articles))
        else:
            ids = list(
                Article.objects.exclude(source_url="").order_by("id").values_list("pk", flat=True)
            )
        revised = unchanged = failed = 0
        for article_id in ids:
            try:
                outcome = article_check(article_id=article_id, actor=None, timeout=timeout)
            except Article.DoesNotExist:
                failed += 1
                self.stderr.write(f"error: article #{article_id}: no such article")
                continue
            except (ValidationError, PermissionDenied) as refusal:
                failed += 1
                self.stderr.write(f"error: article #{article_id}: {refusal_message(refusal)}")
                continue
            except DatabaseError as error:
                # Rolled back (a lock that timed out, a connection lost): the next article
                # still gets its turn.
                failed += 1
                self.stderr.write(f"error: article #{article_id}: the database refused it: {error}")
                continue
            if outcome.revision is None:
                unchanged += 1
                self.stdout.write(f"unchanged: {describe_revision(outcome)}")
            else:
                revised += 1
                self.stdout.write(f"revised: {describe_revision(outcome)}")
        self.stdout.write(
            f"{len(ids)} article{pluralize(len(ids))} checked: {revised} revised, "
            f"{unchanged} unchanged, "
            f"{failed} failed"
        )
        if failed:
            raise CommandError(
                f"{failed} article{pluralize(failed)} could not be checked; the others were."
            )
