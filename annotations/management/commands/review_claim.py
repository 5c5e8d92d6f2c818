"""The command-line way into the review workflow: the same service, the same rules."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations import permissions, services
from annotations.errors import Conflict, refusal_message
from annotations.models import Claim
from annotations.workflow import TRANSITION_ACTIONS


class Command(BaseCommand):
    help = (
        "Take a review action on a claim as a given user: "
        f"{', '.join(TRANSITION_ACTIONS)}. Without --version the claim's current version is used. "
        "Exits with an error and the reason when the action is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim_id", type=int)
        parser.add_argument("action", choices=TRANSITION_ACTIONS)
        parser.add_argument("--as", dest="username", required=True, help="The acting user.")
        parser.add_argument(
            "--comment", default="", help="Required to reject, request changes, reopen or retract."
        )
        # --version belongs to the claim here, not to Django's report of its own version.
        claim_version = parser.add_argument_group("version check", conflict_handler="resolve")
        claim_version.add_argument(
            "--version",
            "--claim-version",
            dest="claim_version",
            type=int,
            default=None,
            help="The version the decision is made against (refused if the claim moved on).",
        )

    def handle(
        self,
        *args: Any,
        claim_id: int,
        action: str,
        username: str,
        comment: str,
        claim_version: int | None,
        **options: Any,
    ) -> None:
        try:
            actor = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        if permissions.role_of(actor) is None:
            raise CommandError(f"{username} has no role (or is inactive): they may not review.")
        seen = Claim.objects.visible_to(actor).filter(pk=claim_id).values("status", "version")
        current = seen.first()
        if current is None:
            raise CommandError(f"No claim #{claim_id} that {username} can see.")
        version = current["version"] if claim_version is None else claim_version
        try:
            claim = services.claim_transition(
                claim_id=claim_id, actor=actor, action=action, version=version, comment=comment
            )
        except Claim.DoesNotExist:
            raise CommandError(f"No claim #{claim_id} that {username} can see.") from None
        except (Conflict, PermissionDenied, ValidationError) as refusal:
            raise CommandError(f"Refused: {refusal_message(refusal)}") from None
        self.stdout.write(
            f"claim #{claim.pk}: {current['status']} -> {claim.status} (version {claim.version})"
        )
