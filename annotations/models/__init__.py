"""The desk's data, by concern: content (articles, the verdict scale), claims (claims and
their sources), record (the review history, claim versions, the public record) and notifications
(notices of what happened to a person's claims).

Models hold data and the invariants the database can enforce. Every write goes through
annotations.services; offsets count Unicode code points (Python str indices). Every text
field carries validate_clean_text and every time validate_moment, so that what the database
could not store, or a page could not show, is refused by full_clean wherever it comes from
(tests/test_clean_text.py holds each field to it).
"""

from annotations.models.claimants import Claimant, ClaimantKind, ClaimantMerge, name_key
from annotations.models.claims import (
    ANSWER_RELATIONS,
    CLAIM_DOCUMENT_ORDER,
    Claim,
    ClaimQuerySet,
    Source,
    SourceKind,
    lease_cutoff,
)
from annotations.models.content import (
    ARTICLE_METADATA_FIELDS,
    MAX_ID,
    MAX_VERSION,
    Article,
    Verdict,
)
from annotations.models.notifications import (
    Notification,
    NotificationKind,
    NotificationSettings,
)
from annotations.models.preferences import DisplaySettings
from annotations.models.record import (
    AppendOnlyQuerySet,
    ClaimVersion,
    Publication,
    PublicationKind,
    PublicationQuerySet,
    ReviewEvent,
)
from annotations.models.revisions import ArticleRevision, Reanchoring, RevisionKind
from annotations.models.search import (
    ArticleFts,
    ArticleSearch,
    ClaimFts,
    ClaimSearch,
    KnownClaim,
)

__all__ = [
    "ANSWER_RELATIONS",
    "ARTICLE_METADATA_FIELDS",
    "CLAIM_DOCUMENT_ORDER",
    "MAX_ID",
    "MAX_VERSION",
    "AppendOnlyQuerySet",
    "Article",
    "ArticleFts",
    "ArticleRevision",
    "ArticleSearch",
    "Claim",
    "ClaimFts",
    "ClaimQuerySet",
    "ClaimSearch",
    "ClaimVersion",
    "Claimant",
    "ClaimantKind",
    "ClaimantMerge",
    "DisplaySettings",
    "KnownClaim",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Publication",
    "PublicationKind",
    "PublicationQuerySet",
    "Reanchoring",
    "ReviewEvent",
    "RevisionKind",
    "Source",
    "SourceKind",
    "Verdict",
    "lease_cutoff",
    "name_key",
]
