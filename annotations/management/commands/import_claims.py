from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from annotations.native_import import NativeImportError, import_native_file


class Command(BaseCommand):
    help = (
        "Load a native export (export_claims --format native) into this desk: articles, "
        "verdicts, users and claims with their sources and review history, in one transaction. "
        "Claims already here (same article, span, author and creation time) are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a native export (JSON)")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            report = import_native_file(file)
        except NativeImportError as error:
            for problem in error.problems:
                self.stderr.write(f"error: {problem}")
            raise CommandError(
                f"{file} was not imported ({len(error.problems)} "
                f"problem{pluralize(len(error.problems))} shown); "
                "nothing was stored."
            ) from None
        self.stdout.write(
            f"imported {file}: {report.claims_created} claim{pluralize(report.claims_created)} "
            "created, "
            f"{report.claims_skipped} already here; articles: {report.articles_created} created, "
            f"{report.articles_matched} already here"
        )
        if report.verdicts_created:
            self.stdout.write(f"verdicts created: {', '.join(report.verdicts_created)}")
        if report.users_created:
            self.stdout.write(
                "users created (no password, no role): " + ", ".join(report.users_created)
            )
