from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations import export


class Command(BaseCommand):
    help = (
        "Export claims as native JSON, schema.org ClaimReview or W3C Web Annotation, streamed "
        "to a file or standard output. By default only published (approved) claims."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", default="native", choices=export.FORMATS)
        parser.add_argument(
            "--status",
            default="approved",
            help="approved (default), all, or review states separated by commas",
        )
        parser.add_argument("--article", type=int, help="only the claims on this article")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            fmt = export.parse_format(options["format"])
            statuses = export.parse_statuses(options["status"])
            article = export.parse_article(options["article"])
        except export.ExportRequestError as error:
            raise CommandError(f"--{error.field}: {error.message}") from None
        chunks = export.export_chunks(fmt, statuses=statuses, article=article)
        output: Path | None = options["output"]
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk.decode(), ending="")
            self.stdout.flush()
            return
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            partial.replace(output)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"--output: cannot write {output}: {error}") from None
        self.stderr.write(f"exported {fmt} to {output}")
