"""Articles: importing one (from a file, a web address, the API or a native export) and
editing its metadata. The body never changes once imported: every claim's offsets point into
it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from annotations import fetching, permissions
from annotations.anchoring import normalise_newlines
from annotations.models import ARTICLE_METADATA_FIELDS, Article
from annotations.services.search import search_index_article

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
    article already imported from the same source_url is refused (revisions come later), as
    a ValidationError on `body`, however close together the two imports run.
    `imported_by` None is the operator (a management command), who may always import.
    """
    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied("Only admins can import articles.")
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": "The article has no text."})
    article = Article(
        title=title.strip() or body.strip().split("\n", 1)[0][:200],
        body=body,
        source_url=source_url,
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_on=published_on,
        language=language.strip(),
        imported_by=imported_by,
        source_file=source_file[:500],
    )
    # Every field is checked before the lookups below use it: PostgreSQL cannot even compare
    # text holding a NUL, and hashing cannot encode an unpaired surrogate.
    article.full_clean(exclude=["body_sha256"], validate_constraints=False)
    article.body_sha256 = body_digest(body)
    existing = _already_imported(article)
    if existing is not None:
        return ImportOutcome(existing, created=False)
    try:
        with transaction.atomic():
            article.save()
            search_index_article(article)
            _match_when_committed(article)
    except IntegrityError:
        # Another import stored the same text or source_url between the check and the insert:
        # the check again gives the answer it would have given a moment later.
        existing = _already_imported(article)
        if existing is None:
            raise
        return ImportOutcome(existing, created=False)
    return ImportOutcome(article, created=True)


def article_import_from_url(*, url: str, imported_by: User | None = None) -> ImportOutcome:
    """Fetch the page at `url` (annotations.fetching: http(s) only, public addresses only,
    size and time limits), extract its article as an .html file's, and import it with
    article_import, its source_url being the address the page came from after redirects.

    Every refusal, the fetch's included, is a ValidationError on `url` whose message names
    the address; nothing is stored then. The permission is checked before fetching: the
    fetch itself is what an editor may not make the server do. No transaction is held while
    the page is fetched.
    """
    # importers hands files to this module, so it is imported here, not at the top.
    from annotations.importers import ArticleFileError, describe_refusal, parse_html

    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied("Only admins can import articles.")
    given = url.strip()
    if not given:
        raise ValidationError({"url": "Give the address of the article's page."})
    longest = Article._meta.get_field("source_url").max_length or 0
    if len(given) > longest:
        raise ValidationError(
            {"url": f"The address is {len(given):,} characters long; the limit is {longest:,}."}
        )
    try:
        page = fetching.fetch(given)
        data = parse_html(page.text)
    except fetching.FetchError as error:
        raise ValidationError({"url": str(error)}) from None
    except ArticleFileError as error:
        raise ValidationError({"url": f"{given}: {error}"}) from None
    # The address the text was read from, not the canonical link the page names: a page may
    # name any address as its own, even one another article was imported from.
    data.source_url = page.url
    try:
        return article_import(**vars(data), imported_by=imported_by)
    except ValidationError as error:
        raise ValidationError({"url": f"{given}: {describe_refusal(error)}"}) from None


def _match_when_committed(article: Article) -> None:
    """Match the new article's sentences against the published claims, in the background,
    once the import is committed (the import never waits for it)."""
    from annotations.tasks import match_article

    article_id = article.pk
    transaction.on_commit(lambda: match_article.enqueue(article_id))


def _already_imported(article: Article) -> Article | None:
    """The article already holding `article`'s text, or None when it is new. Raises
    ValidationError when another text was imported from its source_url."""
    existing = Article.objects.filter(body_sha256=article.body_sha256, revision_of=None).first()
    if existing is not None:
        return existing
    if article.source_url:
        same_source = _holder_of_source(article.source_url)
        if same_source is not None:
            raise ValidationError(
                {
                    "body": f"Article #{same_source.pk} was already imported from "
                    f"{article.source_url} with different text; importing a revision is not "
                    "supported yet."
                }
            )
    return None


def _holder_of_source(source_url: str, *, other_than: int | None = None) -> Article | None:
    """The article (not a revision) imported from `source_url`, which no other may share."""
    holders = Article.objects.filter(source_url=source_url, revision_of=None)
    if other_than is not None:
        holders = holders.exclude(pk=other_than)
    return holders.first()


def article_update(*, article: Article, actor: User, changes: Mapping[str, Any]) -> Article:
    """Change an article's metadata (ARTICLE_METADATA_FIELDS); admins only. A source_url
    another article was imported from is refused as a ValidationError on `source_url`."""
    if not permissions.can_import_articles(actor):
        raise PermissionDenied("Only admins can change articles.")
    unknown = set(changes) - set(ARTICLE_METADATA_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        for name, value in changes.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.full_clean(validate_constraints=False)
        _refuse_taken_source(locked)
        try:
            with transaction.atomic():
                locked.save(update_fields=list(changes))
                if "title" in changes:
                    search_index_article(locked)
        except IntegrityError:
            # Another article took the source_url between the check and the save.
            _refuse_taken_source(locked)
            raise
    return locked


def _refuse_taken_source(article: Article) -> None:
    if not article.source_url or article.revision_of_id is not None:
        return
    holder = _holder_of_source(article.source_url, other_than=article.pk)
    if holder is not None:
        raise ValidationError(
            {"source_url": f"Article #{holder.pk} was already imported from {article.source_url}."}
        )
