"""Load a native export (annotations/schemas/native-v3.schema.json, or a file of version 1 or
2: native-v1.schema.json, native-v2.schema.json) into this desk.

This is a restore, not a replay: claims keep the status, timestamps, reviewer, version and
history they had where they were exported, so services.claim_restore stores them as they are
rather than replaying the workflow. Everything else still passes the usual checks:

- the file must match the JSON Schema, and every claim's span must be exactly its quote in
  its article's body (annotations.anchoring.span_in);
- articles go through services.article_import, so an article whose text is already here is
  reused rather than duplicated;
- verdicts are matched by slug (missing ones created from the file); claimants by name, in
  any case and spacing (missing ones created from the file's `claimants`, with their kind
  and same-as links; a file without them, or a claim without `claimant_id`, names its
  claimant by name alone, which services.claimant_for_name finds or adds); users by username,
  normalised as everywhere else (missing ones created without a usable password and
  without a role);
- a claim already here (same article, span, author and created_at) is skipped, so importing
  the same file twice stores its claims once;
- a claim's public record (version 2) is kept as it was published, ratings included; a
  version 1 file has none, so an approved claim from one gets its first publication at its
  published_at (services.publications_restore);
- an article's revisions (version 3) are kept as they were, with who brought each and when,
  for an article new here (services.revisions.article_restore); a claim's span, its public
  records' and its re-anchorings' name their revision by number, matched here by the text of
  the revision. Without revisions (versions 1 and 2) an article's text is its revision 1 and
  every span counts in it.

Every value is checked in the form the database will hold it: text by the models' own
validators (no NUL, control characters or unpaired surrogates; the lengths of the columns),
times once converted to UTC (annotations.validators.validate_moment), user names once
normalised. The whole file is one transaction: any problem stores nothing, and the error
names each place in the file that is wrong, all of them at once as far as they can be found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from annotations import services
from annotations.defaults import DEFAULT_VERDICT_COLOUR, modern_colour
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    Claimant,
    ClaimVersion,
    ReviewEvent,
    RevisionKind,
    Verdict,
)
from annotations.native_checks import (
    NativeImportError,
    check_document,
    day,
    instant,
    moment,
    native_schema,
    problem_messages,
)
from annotations.services.claimants import claimant_named
from annotations.services.reanchoring import reanchorings_restore
from annotations.services.revisions import article_restore

__all__ = [
    "NativeImportError",
    "NativeImportReport",
    "claims_import_native",
    "import_native_file",
    "native_schema",
    "read_native_file",
]

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class NativeImportReport:
    articles_created: int = 0
    articles_matched: int = 0
    verdicts_created: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    claims_created: int = 0
    claims_skipped: int = 0


def read_native_file(path: Path) -> Any:
    """Parse `path` as JSON, or raise NativeImportError saying why it cannot be read."""
    try:
        # Decoded here: json.load would guess UTF-16 or UTF-32 from the first bytes.
        return json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise NativeImportError([f"{path}: cannot be read ({error.strerror or error})."]) from None
    except UnicodeDecodeError:
        raise NativeImportError([f"{path}: is not UTF-8 text."]) from None
    except json.JSONDecodeError as error:
        raise NativeImportError(
            [f"{path}: is not JSON (line {error.lineno}, column {error.colno}: {error.msg})."]
        ) from None
    except RecursionError:
        raise NativeImportError([f"{path}: is nested too deeply to be a native export."]) from None


def import_native_file(path: Path) -> NativeImportReport:
    return claims_import_native(read_native_file(path), source_file=path.name)


def claims_import_native(document: Any, *, source_file: str = "") -> NativeImportReport:
    """Store the articles, verdicts, users and claims of a parsed native document.

    Raises NativeImportError, having stored nothing, when the document is not a valid native
    export or does not fit this desk (a verdict label taken by another slug, an article whose
    source_url is here with other text...).
    """
    check_document(document)
    try:
        with transaction.atomic():
            return _store(document, source_file=source_file)
    except _Refusal as refusal:
        raise NativeImportError(refusal.problems) from None
    except DatabaseError as error:
        # The checks should leave nothing for the database to refuse; if it does, the
        # transaction is rolled back and the operator still gets an answer, not a traceback.
        raise NativeImportError([f"The database refused the file: {error}"]) from None


# --- Writing --------------------------------------------------------------------------------


class _Refusal(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _store(document: Mapping[str, Any], *, source_file: str) -> NativeImportReport:
    """Store the document, gathering every refusal rather than stopping at the first, then
    raise _Refusal (which rolls the transaction back) if there was any."""
    report = NativeImportReport()
    problems: list[str] = []
    users: dict[str, User] = {}

    def user(username: str) -> User:
        if username not in users:
            users[username], created = services.user_ensure(username=username)
            if created:
                report.users_created.append(users[username].username)
        return users[username]

    verdicts = _store_verdicts(document, report, problems)
    claimants = _store_claimants(document, problems)
    articles, revisions = _store_articles(document, report, source_file, problems, user)

    # What identifies a claim already here, read once for the file's articles rather than
    # asked claim by claim; the claims restored below join it as they are stored.
    stored = set(
        Claim.objects.filter(article_id__in=[a.pk for a in articles.values()]).values_list(
            "article_id", "start", "end", "author_id", "created_at"
        )
    )
    refused_verdicts = {
        data["slug"] for data in document["verdicts"] if data["slug"] not in verdicts
    }
    for index, data in enumerate(document["claims"]):
        place = f"claims[{index}]"
        article = articles.get(data["article"])
        if article is None:
            continue  # the article's own problem is reported
        try:
            author = user(data["author"])
            created_at = instant(data["created_at"])
            key = (article.pk, data["start"], data["end"], author.pk, created_at)
            if key in stored:
                report.claims_skipped += 1
                continue
            verdict = None
            if data.get("verdict"):
                verdict = verdicts.get(data["verdict"])
                if verdict is None:
                    if data["verdict"] not in refused_verdicts:
                        problems.append(
                            f"{place}.verdict: no verdict {data['verdict']!r} here or in the file."
                        )
                    continue
            texts = revisions.get(data["article"], {})
            revision = None
            if data.get("revision") is not None and texts:
                revision = texts.get(data["revision"])
                if revision is None:
                    problems.append(f"{place}.revision: no revision {data['revision']} here.")
                    continue
            history = [
                ReviewEvent(
                    # None: the desk itself, on a change of the article.
                    actor=user(event["actor"]) if event.get("actor") else None,
                    action=event["action"],
                    from_status=event.get("from_status", ""),
                    to_status=event["to_status"],
                    comment=event.get("comment", ""),
                    created_at=instant(event["created_at"]),
                )
                for event in data.get("history", [])
            ]
            versions = [
                ClaimVersion(
                    number=kept["edit"],
                    author=user(kept["author"]),
                    created_at=instant(kept["created_at"]),
                    claim_text=kept["claim_text"],
                    claimant=kept.get("claimant", ""),
                    verdict=_version_verdict(kept, verdicts),
                    rationale=kept.get("rationale", ""),
                    sources=kept.get("sources", []),
                )
                for kept in data.get("versions", [])
            ]
            claim = services.claim_restore(
                article=article,
                author=author,
                start=data["start"],
                end=data["end"],
                quote=data["quote"],
                claim_text=data["claim_text"],
                claimant=claimants.get(data.get("claimant_id"), data.get("claimant", "")),
                verdict=verdict,
                rationale=data.get("rationale", ""),
                status=data["status"],
                reviewer=user(data["reviewer"]) if data.get("reviewer") else None,
                version=data.get("version", 1),
                created_at=created_at,
                updated_at=instant(data.get("updated_at") or data["created_at"]),
                submitted_at=moment(data.get("submitted_at")),
                published_at=moment(data.get("published_at")),
                sources=data.get("sources", []),
                history=history,
                versions=versions,
                revision=revision,
            )
            services.publications_restore(
                claim=claim, records=data.get("publications"), verdicts=verdicts, revisions=texts
            )
            reanchorings_restore(claim=claim, rows=data.get("reanchorings", []), revisions=texts)
        except ValidationError as error:
            problems.extend(problem_messages(place, error))
            continue
        stored.add(key)
        report.claims_created += 1
    if problems:
        raise _Refusal(problems)
    return report


def _version_verdict(kept: Mapping[str, Any], verdicts: Mapping[str, Verdict]) -> Verdict | None:
    slug = kept.get("verdict")
    if not slug:
        return None
    if slug not in verdicts:
        raise ValidationError({"versions": f"No verdict {slug!r} here or in the file."})
    return verdicts[slug]


def _store_verdicts(
    document: Mapping[str, Any], report: NativeImportReport, problems: list[str]
) -> dict[str, Verdict]:
    known = {verdict.slug: verdict for verdict in Verdict.objects.all()}
    for index, data in enumerate(document["verdicts"]):
        if data["slug"] in known:
            continue
        verdict = Verdict(
            slug=data["slug"],
            label=data["label"],
            rating=data.get("rating"),
            description=data.get("description", ""),
            colour=modern_colour(data.get("colour", DEFAULT_VERDICT_COLOUR)),
            order=data.get("order", 0),
        )
        try:
            services.verdict_save(verdict=verdict, actor=None)
        except ValidationError as error:
            problems.extend(problem_messages(f"verdicts[{index}]", error))
            continue
        known[verdict.slug] = verdict
        report.verdicts_created.append(verdict.slug)
    return known


def _store_claimants(document: Mapping[str, Any], problems: list[str]) -> dict[int, Claimant]:
    """The file's claimants by their id in the file: the claimant of that name here (or the
    one it was merged into), else a new one as the file describes it."""
    found: dict[int, Claimant] = {}
    for index, data in enumerate(document.get("claimants", [])):
        try:
            claimant = claimant_named(data["name"])
            if claimant is None:
                claimant = services.claimant_create(
                    actor=None,
                    name=data["name"],
                    kind=data["kind"],
                    description=data.get("description", ""),
                    same_as=data.get("same_as", []),
                )
        except ValidationError as error:
            problems.extend(problem_messages(f"claimants[{index}]", error))
            continue
        found[data["id"]] = claimant
    return found


def _store_articles(
    document: Mapping[str, Any],
    report: NativeImportReport,
    source_file: str,
    problems: list[str],
    user: Callable[[str], User],
) -> tuple[dict[int, Article], dict[int, dict[int, ArticleRevision]]]:
    """The articles by their id in the file, and their revisions here by their number in the
    file (matched by text: an article already here may number its revisions otherwise)."""
    articles: dict[int, Article] = {}
    revisions: dict[int, dict[int, ArticleRevision]] = {}
    for index, data in enumerate(document["articles"]):
        fields = {
            "title": data["title"],
            "source_url": data.get("source_url", ""),
            "publisher": data.get("publisher", ""),
            "byline": data.get("byline", ""),
            "published_on": day(data.get("published_on")),
            "language": data.get("language", ""),
            "source_file": source_file,
        }
        try:
            if data.get("revisions"):
                outcome = article_restore(
                    **fields,
                    revisions=[
                        ArticleRevision(
                            number=kept["number"],
                            kind=kept["kind"],
                            created_at=instant(kept["created_at"]),
                            created_by=user(kept["created_by"]) if kept.get("created_by") else None,
                            title=kept.get("title", ""),
                            publisher=kept.get("publisher", ""),
                            byline=kept.get("byline", ""),
                            published_on=day(kept.get("published_on")),
                            language=kept.get("language", ""),
                            body=kept["body"],
                        )
                        for kept in data["revisions"]
                    ],
                )
            else:
                outcome = services.article_import(
                    **fields, body=data["body"], kind=RevisionKind.RESTORE
                )
        except ValidationError as error:
            problems.extend(problem_messages(f"articles[{index}]", error))
            continue
        articles[data["id"]] = outcome.article
        here = {
            digest: revision
            for revision in outcome.article.revisions.defer("body")
            for digest in [revision.body_sha256]
        }
        revisions[data["id"]] = {
            kept["number"]: here[digest]
            for kept in data.get("revisions", [])
            if (digest := services.body_digest(kept["body"])) in here
        }
        if outcome.created:
            report.articles_created += 1
        else:
            report.articles_matched += 1
    return articles, revisions
