from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.roles import Role
from annotations.services import user_create_or_update

ROLE_CHOICES = [*Role.values, "none"]


class Command(BaseCommand):
    help = (
        "Create a user with a role, or change an existing user's role. The password comes from "
        "FACTCHECK_PASSWORD, or is asked for at the terminal; a new password revokes the user's "
        "API token. The desk's last active admin cannot be demoted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLE_CHOICES)

    def handle(self, *args: Any, username: str, role: str, **options: Any) -> None:
        password = os.environ.get("FACTCHECK_PASSWORD") or None
        if password is None and options.get("interactive", True):
            password = self._ask_password()
        try:
            user, created = user_create_or_update(
                username=username, password=password, role=None if role == "none" else Role(role)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "created" if created else "updated"
        self.stdout.write(f"{verb}: {user.username} (role: {role})")

    def _ask_password(self) -> str | None:
        import sys

        if not sys.stdin.isatty():
            raise CommandError(
                "Set FACTCHECK_PASSWORD, or run this at a terminal to type a password."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first or None
