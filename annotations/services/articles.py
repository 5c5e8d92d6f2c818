"""Articles: importing one (from a file, a web address, the API or a native export) and
editing its metadata. The text of an article already here changes only by a new revision
(annotations.services.revisions): an import of other text from the same address, or from the
same file, records one."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from annotations import fetching, permissions
from annotations.anchoring import normalise_newlines
from annotations.models import ARTICLE_METADATA_FIELDS, Article, ArticleRevision, RevisionKind
from annotations.services.search import search_index_article

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from annotations.importers import ArticleData
    from annotations.services.revisions import RevisionOutcome


@dataclass(frozen=True)
class ImportOutcome:
    """`created`: a new article. Otherwise `revised` says what became of the article already
    imported from the same address (or file): a new revision of its text, or, when its text
    was already this one, nothing (`revised.revision` is None). `revised` is None when the
    text matched an article's text without that."""

    article: Article
    created: bool
    revised: RevisionOutcome | None = None

    @property
    def new_revision(self) -> bool:
        return self.revised is not None and self.revised.revision is not None


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
    kind: str = RevisionKind.FILE,
    same_file_is_revision: bool = False,
) -> ImportOutcome:
    """Store an article with its first revision, or return the one already holding the same
    text, or record a revision of the one this text is a new version of.

    The body is kept as given except that line endings become \\n. Text that differs from
    that of the article imported from the same source_url (or, with same_file_is_revision, of
    the one article imported from the same source_file without an address) becomes that
    article's next revision, of `kind`, its claims re-anchored (services.revisions). Two
    imports racing on the same text or address are told apart by the database.
    `imported_by` None is the operator (a management command), who may always import.
    """
    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied(_("Only admins can import articles."))
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": _("The article has no text.")})
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
    existing = Article.objects.filter(body_sha256=article.body_sha256).first()
    if existing is not None:
        return ImportOutcome(existing, created=False)
    earlier = _earlier_version(article, same_file_is_revision)
    if earlier is not None:
        return _revise(earlier, article, kind)
    try:
        with transaction.atomic():
            article.save()
            first_revision(article, kind=kind)
            search_index_article(article)
            match_when_committed(article)
    except IntegrityError:
        # Another import stored the same text or source_url between the check and the insert:
        # the check again gives the answer it would have given a moment later.
        existing = Article.objects.filter(body_sha256=article.body_sha256).first()
        if existing is not None:
            return ImportOutcome(existing, created=False)
        earlier = _earlier_version(article, same_file_is_revision)
        if earlier is None:
            raise
        return _revise(earlier, article, kind)
    return ImportOutcome(article, created=True)


def first_revision(article: Article, *, kind: str) -> ArticleRevision:
    """Record the text of `article`, just saved, as its revision 1. Call inside the
    transaction that saved it."""
    revision = ArticleRevision(
        article=article,
        number=1,
        kind=kind,
        body=article.body,
        body_sha256=article.body_sha256,
        title=article.title,
        publisher=article.publisher,
        byline=article.byline,
        published_on=article.published_on,
        language=article.language,
        created_at=article.imported_at,
        created_by=article.imported_by,
    )
    revision.save()
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    return revision


def _earlier_version(article: Article, same_file_is_revision: bool) -> Article | None:
    """The article that `article` (unsaved) is a new text of: the one imported from its
    source_url, or, with same_file_is_revision and no source_url, the only one imported from
    its source_file without an address."""
    if article.source_url:
        return _holder_of_source(article.source_url)
    if same_file_is_revision and article.source_file:
        same_file = list(
            Article.objects.filter(source_file=article.source_file, source_url="").only("pk")[:2]
        )
        if len(same_file) == 1:
            return same_file[0]
    return None


def _revise(earlier: Article, given: Article, kind: str) -> ImportOutcome:
    from annotations.services.revisions import revision_record

    outcome = revision_record(
        article_id=earlier.pk,
        body=given.body,
        kind=kind,
        actor=given.imported_by,
        **{name: getattr(given, name) for name in REVISION_METADATA_FIELDS},
    )
    return ImportOutcome(outcome.article, created=False, revised=outcome)


# What a revision keeps of the metadata that came with its text.
REVISION_METADATA_FIELDS = ("title", "publisher", "byline", "published_on", "language")


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
    from annotations.importers import describe_refusal

    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied(_("Only admins can import articles."))
    given = url.strip()
    if not given:
        raise ValidationError({"url": _("Give the address of the article's page.")})
    longest = Article._meta.get_field("source_url").max_length or 0
    if len(given) > longest:
        raise ValidationError(
            {
                "url": _("The address is %(length)s characters long; the limit is %(limit)s.")
                % {
                    "length": number_format(len(given), force_grouping=True),
                    "limit": number_format(longest, force_grouping=True),
                }
            }
        )
    data = fetch_article(given)
    try:
        return article_import(**vars(data), imported_by=imported_by, kind=RevisionKind.FETCH)
    except ValidationError as error:
        raise ValidationError(
            {"url": _("%(url)s: %(problem)s") % {"url": given, "problem": describe_refusal(error)}}
        ) from None


def fetch_article(url: str, *, timeout: float | None = None) -> ArticleData:
    """The article of the page at `url` (annotations.fetching, then the .html importer), its
    source_url the address the page came from after redirects. Every failure is a
    ValidationError on `url` whose one message names the address. Holds no transaction."""
    from annotations.importers import ArticleFileError, parse_html

    try:
        page = fetching.fetch(url, timeout=timeout)
        data = parse_html(page.text)
    except fetching.FetchError as error:
        raise ValidationError({"url": str(error)}) from None
    except ArticleFileError as error:
        raise ValidationError(
            {"url": _("%(url)s: %(problem)s") % {"url": url, "problem": error}}
        ) from None
    # The address the text was read from, not the canonical link the page names: a page may
    # name any address as its own, even one another article was imported from.
    data.source_url = page.url
    return data


def match_when_committed(article: Article) -> None:
    """Match the new article's (or new revision's) sentences against the published claims, in the background,
    once the import is committed (the import never waits for it)."""
    from annotations.tasks import match_article

    article_id = article.pk
    transaction.on_commit(lambda: match_article.enqueue(article_id))


def _holder_of_source(source_url: str, *, other_than: int | None = None) -> Article | None:
    """The article imported from `source_url`, which no other may share."""
    holders = Article.objects.filter(source_url=source_url)
    if other_than is not None:
        holders = holders.exclude(pk=other_than)
    return holders.first()


def article_update(*, article: Article, actor: User, changes: Mapping[str, Any]) -> Article:
    """Change an article's metadata (ARTICLE_METADATA_FIELDS); admins only. A source_url
    another article was imported from is refused as a ValidationError on `source_url`."""
    if not permissions.can_import_articles(actor):
        raise PermissionDenied(_("Only admins can change articles."))
    unknown = set(changes) - set(ARTICLE_METADATA_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed.") for name in sorted(unknown)}
        )
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
    if not article.source_url:
        return
    holder = _holder_of_source(article.source_url, other_than=article.pk)
    if holder is not None:
        raise ValidationError(
            {
                "source_url": _("Article #%(article)s was already imported from %(url)s.")
                % {"article": holder.pk, "url": article.source_url}
            }
        )
