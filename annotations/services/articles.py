"""Articles: importing one (from a file, the API or a native export) and editing its
metadata. The body never changes once imported: every claim's offsets point into it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from annotations import permissions
from annotations.anchoring import normalise_newlines
from annotations.models import ARTICLE_METADATA_FIELDS, Article
from annotations.validators import validate_clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ImportOutcome:
    article: Article
    created: bool


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def article_import(
    *,
    title: str,
    body: str,
    source_url: str = "",
    publisher: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "",
    imported_by: User | None = None,
    source_file: str = "",
) -> ImportOutcome:
    """Store an article, or return the one already holding the same text.

    The body is kept as given except that line endings become \\n. Text that differs from an
    article already imported from the same source_url is refused (revisions come later).
    `imported_by` None is the operator (a management command), who may always import.
    """
    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied("Only admins can import articles.")
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": "The article has no text."})
    # Hashing encodes the text, which an unpaired surrogate would crash: check it first.
    try:
        validate_clean_text(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    title = title.strip() or body.strip().split("\n", 1)[0][:200]
    digest = body_digest(body)

    existing = Article.objects.filter(body_sha256=digest, revision_of=None).first()
    if existing is not None:
        return ImportOutcome(existing, created=False)
    if source_url:
        same_source = Article.objects.filter(source_url=source_url, revision_of=None).first()
        if same_source is not None:
            raise ValidationError(
                {
                    "body": f"Article #{same_source.pk} was already imported from {source_url} "
                    "with different text; importing a revision is not supported yet."
                }
            )
    article = Article(
        title=title,
        body=body,
        source_url=source_url,
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_on=published_on,
        language=language.strip(),
        body_sha256=digest,
        imported_by=imported_by,
        source_file=source_file[:500],
    )
    article.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another process imported the same text at the same moment.
        existing = Article.objects.filter(body_sha256=digest, revision_of=None).first()
        if existing is None:
            raise
        return ImportOutcome(existing, created=False)
    return ImportOutcome(article, created=True)


def article_update(*, article: Article, actor: User, changes: Mapping[str, Any]) -> Article:
    """Change an article's metadata (ARTICLE_METADATA_FIELDS); admins only."""
    if not permissions.can_import_articles(actor):
        raise PermissionDenied("Only admins can change articles.")
    unknown = set(changes) - set(ARTICLE_METADATA_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        for name, value in changes.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.full_clean()
        locked.save(update_fields=list(changes))
    return locked
