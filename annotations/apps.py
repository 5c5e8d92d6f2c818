from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles_and_scale(sender: AppConfig, **kwargs: Any) -> None:
    # `apps` is the state migrate left (flush sends none): without the app's models it was
    # migrated back to zero, and has no tables to fill.
    migrated = kwargs.get("apps")
    if migrated is not None:
        try:
            migrated.get_model("annotations", "Verdict")
        except LookupError:
            return
    from annotations.services import roles_ensure, verdicts_ensure

    roles_ensure()
    verdicts_ensure()


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = _("Fact-checking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Permissions exist only once every app has migrated, so the role groups are made
        # (and brought up to date) after migrate rather than in a migration. The scale is
        # checked there too, since a test database flush empties it.
        post_migrate.connect(_ensure_roles_and_scale, sender=self, dispatch_uid="annotations.roles")
