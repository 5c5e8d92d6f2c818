"""The claims' tally, which the claims list counts from, checked against the claims or
counted again (annotations.claim_tally)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations import claim_tally


class Command(BaseCommand):
    help = (
        "Count the claims again and rebuild the tally the claims list counts from. "
        "The database's triggers keep it right; this is for a tally that was not kept "
        "(a data-only restore with triggers off). With --check, only compare, and exit with "
        "an error if they differ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Compare only; change nothing.")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if not check:
            rows = claim_tally.rebuild()
            self.stdout.write(f"The tally was rebuilt: {rows} rows.")
            return
        differences = claim_tally.differences()
        for (status, author_id, verdict_id), (tallied, counted) in sorted(
            differences.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
        ):
            self.stdout.write(
                f"{status}, author #{author_id}, verdict #{verdict_id}: "
                f"tally {tallied}, claims {counted}"
            )
        if differences:
            raise CommandError(
                f"The tally differs from the claims for {len(differences)} groups; "
                "run recount_claims without --check to rebuild it."
            )
        self.stdout.write("The tally matches the claims.")
