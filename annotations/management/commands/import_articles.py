from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.importers import import_paths


class Command(BaseCommand):
    help = "Import articles from .txt, .md, .html or .json files, or folders of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        missing = [p for p in paths if not p.exists()]
        for path in missing:
            self.stderr.write(f"error: {path}: no such file or folder")
        reports = import_paths([p for p in paths if p.exists()])
        failed = len(missing)
        for report in reports:
            if report.error is not None:
                failed += 1
                self.stderr.write(f"error: {report.path}: {report.error}")
                continue
            for outcome in report.outcomes:
                article = outcome.article
                if outcome.created:
                    self.stdout.write(
                        f"imported: {report.path} -> article #{article.pk} {article.title!r}"
                    )
                else:
                    self.stdout.write(f"unchanged: {report.path} is already article #{article.pk}")
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be imported; nothing of them was stored."
            )
