"""The three roles, kept as Django groups, and the model permissions each one carries.

A user holds at most one role. Admin includes everything a reviewer may do, a reviewer
everything an editor may do; the object-level rules live in permissions.py.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    EDITOR = "editor", "Editor"
    REVIEWER = "reviewer", "Reviewer"
    ADMIN = "admin", "Admin"


# Higher rank includes the powers of the lower ones.
RANK = {None: 0, Role.EDITOR: 1, Role.REVIEWER: 2, Role.ADMIN: 3}

# Model permissions that give each role its view of Django's admin. Object-level rules
# (four eyes, authorship) are still checked by the services the admin calls.
_ANNOTATION_MODELS = ("article", "claim", "source", "reviewevent", "verdict")
GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.EDITOR: [("annotations", f"view_{name}") for name in _ANNOTATION_MODELS],
    Role.REVIEWER: [("annotations", f"view_{name}") for name in _ANNOTATION_MODELS]
    + [("annotations", "change_claim")],
    Role.ADMIN: [
        ("annotations", f"{verb}_{name}")
        for name in ("article", "claim", "source", "verdict")
        for verb in ("view", "add", "change", "delete")
    ]
    + [("annotations", "view_reviewevent")]
    + [("auth", f"{verb}_user") for verb in ("view", "add", "change")]
    + [("auth", "view_group"), ("authtoken", "view_token"), ("authtoken", "delete_token")],
}

# Reviewers and admins work in Django's admin; editors use the desk's own pages.
STAFF_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})
