from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.importers import import_paths


def shown(path: Path) -> str:
    """The path as text the terminal can print, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class Command(BaseCommand):
    help = (
        "Import articles from .txt, .md, .html or .json files, or folders of them. Each file "
        "is imported on its own: a refused file is reported with the reason and stores "
        "nothing, the others still import, and the command then exits non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        missing = [p for p in paths if not p.exists()]
        for path in missing:
            self.stderr.write(f"error: {shown(path)}: no such file or folder")
        reports = import_paths([p for p in paths if p.exists()])
        failed = len(missing)
        imported = unchanged = 0
        for report in reports:
            if report.error is not None:
                failed += 1
                self.stderr.write(f"error: {shown(report.path)}: {report.error}")
                continue
            for outcome in report.outcomes:
                article = outcome.article
                if outcome.created:
                    imported += 1
                    self.stdout.write(
                        f"imported: {shown(report.path)} -> article #{article.pk} {article.title!r}"
                    )
                else:
                    unchanged += 1
                    self.stdout.write(
                        f"unchanged: {shown(report.path)} is already article #{article.pk}"
                    )
        self.stdout.write(
            f"{imported} article(s) imported, {unchanged} already here, {failed} file(s) refused"
        )
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be imported; nothing of them was stored."
            )
