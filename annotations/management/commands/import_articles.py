from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from annotations.errors import refusal_message
from annotations.importers import import_paths
from annotations.services import ImportOutcome
from annotations.services.articles import article_import_from_url
from annotations.services.revisions import describe_revision

# A scheme and "://": an address to fetch (or refuse, if not http/https), never a file name.
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def shown(path: Path) -> str:
    """The path as text the terminal can print, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class Command(BaseCommand):
    help = (
        "Import articles from .txt, .md, .html or .json files, folders of them, or the "
        "http(s) addresses of web pages. Each file and address is imported on its own: a "
        "refused one is reported with the reason and stores nothing, the others still "
        "import, and the command then exits non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "sources", nargs="+", metavar="PATH_OR_URL", help="files, folders or web addresses"
        )

    def handle(self, *args: Any, sources: list[str], **options: Any) -> None:
        self.imported = self.revised = self.unchanged = 0
        self.failed_files = self.failed_urls = 0
        addresses = [source for source in sources if _ADDRESS.match(source)]
        for source in sources:
            if source in addresses:
                self._import_url(source)
            else:
                self._import_path(Path(source))
        summary = (
            f"{self.imported} article{pluralize(self.imported)} imported, "
            + (f"{self.revised} revised, " if self.revised else "")
            + f"{self.unchanged} already here, "
            f"{self.failed_files} file{pluralize(self.failed_files)} refused"
        )
        if addresses:
            summary += f", {self.failed_urls} address{pluralize(self.failed_urls, 'es')} refused"
        self.stdout.write(summary)
        failed = self.failed_files + self.failed_urls
        if failed:
            raise CommandError(
                f"{failed} of the files and addresses could not be imported; nothing of them "
                "was stored."
            )

    def _import_url(self, url: str) -> None:
        try:
            outcome = article_import_from_url(url=url, imported_by=None)
        except ValidationError as refusal:
            # The message names the address.
            self.failed_urls += 1
            self.stderr.write(f"error: {refusal_message(refusal)}")
            return
        self._report(url, outcome)

    def _import_path(self, path: Path) -> None:
        if not path.exists():
            self._file_refused(f"{shown(path)}: no such file or folder")
            return
        for report in import_paths([path]):
            if report.error is not None:
                self._file_refused(f"{shown(report.path)}: {report.error}")
                continue
            for outcome in report.outcomes:
                self._report(shown(report.path), outcome)

    def _file_refused(self, message: str) -> None:
        self.failed_files += 1
        self.stderr.write(f"error: {message}")

    def _report(self, where: str, outcome: ImportOutcome) -> None:
        article = outcome.article
        if outcome.created:
            self.imported += 1
            self.stdout.write(f"imported: {where} -> article #{article.pk} {article.title!r}")
        elif outcome.revised is not None and outcome.revised.revision is not None:
            self.revised += 1
            self.stdout.write(f"revised: {where} -> {describe_revision(outcome.revised)}")
        else:
            self.unchanged += 1
            self.stdout.write(f"unchanged: {where} is already article #{article.pk}")
