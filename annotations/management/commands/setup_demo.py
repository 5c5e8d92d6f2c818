from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from annotations.roles import Role
from annotations.services import roles_ensure, user_create_or_update

DEMO_USERS = {
    "editor": Role.EDITOR,
    "editor2": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "reviewer2": Role.REVIEWER,
    "admin": Role.ADMIN,
}


class Command(BaseCommand):
    help = (
        "Make a fresh instance usable: the roles, every article in seeds/, and the demo users "
        "(password from DEMO_PASSWORD, otherwise generated and printed once). Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        roles_ensure()
        seeds = Path(settings.BASE_DIR) / "seeds"
        if seeds.is_dir():
            try:
                call_command("import_articles", str(seeds), stdout=self.stdout, stderr=self.stderr)
            except CommandError as error:
                self.stderr.write(f"seeds: {error}")
        self._demo_users()

    def _demo_users(self) -> None:
        users = get_user_model().objects
        missing = [name for name in DEMO_USERS if not users.filter(username=name).exists()]
        if not missing:
            self.stdout.write("demo users: already there (passwords unchanged)")
            return
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        for username in missing:
            user_create_or_update(
                username=username,
                password=password,
                role=DEMO_USERS[username],
                check_password=False,
            )
        self.stdout.write(f"demo users created: {', '.join(missing)}")
        if not os.environ.get("DEMO_PASSWORD"):
            self.stdout.write(self.style.WARNING(f"their password (shown once): {password}"))
