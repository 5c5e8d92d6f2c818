"""Every write that matters: importing articles, creating and editing claims, moving them
through review, assigning review work, and managing verdicts, roles and users.

HTML views, the API, the admin and the management commands all call these functions. Each
locks what it changes, checks the rules (annotations.permissions, the claims' queryset),
validates (ValidationError with field names), changes, and records, in one transaction: a
refusal raises and leaves nothing half-written.
"""

from annotations.services.articles import (
    ImportOutcome,
    article_import,
    article_update,
    body_digest,
)
from annotations.services.claimants import (
    claimant_create,
    claimant_for_name,
    claimant_merge,
    claimant_update,
)
from annotations.services.claims import claim_create, claim_delete, claim_restore, claim_update
from annotations.services.publication import publications_restore
from annotations.services.review import claim_transition, review_next, review_release
from annotations.services.users import (
    roles_ensure,
    user_create_or_update,
    user_ensure,
    user_set_role,
)
from annotations.services.verdicts import verdict_delete, verdict_save, verdicts_ensure

__all__ = [
    "ImportOutcome",
    "article_import",
    "article_update",
    "body_digest",
    "claim_create",
    "claim_delete",
    "claim_restore",
    "claim_transition",
    "claim_update",
    "claimant_create",
    "claimant_for_name",
    "claimant_merge",
    "claimant_update",
    "publications_restore",
    "review_next",
    "review_release",
    "roles_ensure",
    "user_create_or_update",
    "user_ensure",
    "user_set_role",
    "verdict_delete",
    "verdict_save",
    "verdicts_ensure",
]
