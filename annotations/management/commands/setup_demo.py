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
        "Make a fresh instance usable: the roles, every article in seeds/, and the demo users. "
        "Given DEMO_PASSWORD, every demo user gets that password (and its demo role back); "
        "otherwise users created now get a generated password, printed last. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        roles_ensure()
        seeds = Path(settings.BASE_DIR) / "seeds"
        if seeds.is_dir():
            try:
                call_command("import_articles", str(seeds), stdout=self.stdout, stderr=self.stderr)
            except CommandError as error:
                self.stderr.write(f"seeds: {error}")
        # Last, so that a generated password is the last thing printed before the server starts.
        self._demo_users()

    def _demo_users(self) -> None:
        chosen = os.environ.get("DEMO_PASSWORD") or None
        existing = set(
            get_user_model()
            .objects.filter(username__in=DEMO_USERS)
            .values_list("username", flat=True)
        )
        missing = [name for name in DEMO_USERS if name not in existing]
        if chosen is None and not missing:
            self.stdout.write(
                "demo users: already there, passwords unchanged "
                "(run again with DEMO_PASSWORD set to choose a new one)"
            )
            return
        password = chosen or secrets.token_urlsafe(12)
        # A generated password goes only to the users created now: the others keep theirs.
        for username in DEMO_USERS if chosen else missing:
            user_create_or_update(
                username=username,
                password=password,
                role=DEMO_USERS[username],
                check_password=False,
            )
        if missing:
            self.stdout.write(f"demo users created: {', '.join(missing)}")
        if chosen is not None:
            self.stdout.write(
                f"demo users' password set from DEMO_PASSWORD: {', '.join(DEMO_USERS)}"
            )
        else:
            self.stdout.write(
                self.style.WARNING(f"their password (generated, shown once): {password}")
            )
