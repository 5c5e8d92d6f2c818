"""Checks of a native file that need no database: its format and version, its JSON Schema
(annotations/schemas/native-v*.schema.json), its dates and user names, every problem named
by its place. annotations.native_import runs them before it stores anything."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from annotations.anchoring import span_in
from annotations.export import NATIVE_FORMAT, NATIVE_VERSION
from annotations.export.native import NATIVE_READABLE_VERSIONS
from annotations.services.users import clean_username
from annotations.validators import validate_moment

SCHEMAS = Path(__file__).resolve().parent / "schemas"
# Enough problems to fix a file in one go without burying the first ones.
MAX_REPORTED_PROBLEMS = 20


class NativeImportError(Exception):
    """The file cannot be imported; `problems` lists what is wrong, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_REPORTED_PROBLEMS]
        more = len(problems) - len(self.problems)
        text = "\n".join(self.problems) + (f"\n(and {more} more)" if more > 0 else "")
        super().__init__(text)


@cache
def native_schema(version: int = NATIVE_VERSION) -> dict[str, Any]:
    """The JSON Schema of native files of `version` (one of NATIVE_READABLE_VERSIONS)."""
    path = SCHEMAS / f"native-v{version}.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def check_document(document: Any) -> None:
    if not isinstance(document, dict):
        raise NativeImportError(["The file must hold a JSON object (a native export)."])
    if document.get("format") != NATIVE_FORMAT:
        raise NativeImportError(
            [f"format: expected {NATIVE_FORMAT!r}, found {document.get('format')!r}."]
        )
    version = document.get("version")
    # bool is an int to Python, not a version to anyone.
    if isinstance(version, bool) or version not in NATIVE_READABLE_VERSIONS:
        *earlier, last = (str(v) for v in NATIVE_READABLE_VERSIONS)
        readable = f"{', '.join(earlier)} and {last}" if earlier else last
        raise NativeImportError(
            [f"version: this desk reads versions {readable}, the file is version {version!r}."]
        )
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(native_schema(version))
    problems = [
        f"{_place(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise NativeImportError(problems)

    problems.extend(_bad_dates(document))
    problems.extend(_bad_usernames(document))
    bodies: dict[int, str] = {}
    texts: dict[int, dict[int, str]] = {}
    for index, article in enumerate(document["articles"]):
        if article["id"] in bodies:
            problems.append(f"articles[{index}].id: {article['id']} is used twice.")
        revisions = article.get("revisions", [])
        for place, text in [
            (f"articles[{index}].body", article["body"]),
            *(
                (f"articles[{index}].revisions[{n}].body", r["body"])
                for n, r in enumerate(revisions)
            ),
        ]:
            if "\r" in text:
                problems.append(
                    f"{place}: has carriage returns; a native export's bodies end lines with "
                    "\\n only, and the offsets count that way."
                )
        if revisions and revisions[-1]["body"] != article["body"]:
            problems.append(
                f"articles[{index}].revisions: the last revision's body must be the article's."
            )
        bodies[article["id"]] = article["body"]
        texts[article["id"]] = {r["number"]: r["body"] for r in revisions}
    for index, claim in enumerate(document["claims"]):
        body = bodies.get(claim["article"])
        if body is None:
            problems.append(
                f"claims[{index}].article: no article with id {claim['article']} in the file."
            )
            continue
        number = claim.get("revision")
        if number is not None and texts[claim["article"]]:
            if number not in texts[claim["article"]]:
                problems.append(
                    f"claims[{index}].revision: the article has no revision {number} in the file."
                )
                continue
            body = texts[claim["article"]][number]
        try:
            span_in(body, claim["start"], claim["end"], claim["quote"])
        except ValidationError as error:
            problems.extend(problem_messages(f"claims[{index}]", error))
    if problems:
        raise NativeImportError(problems)


def _bad_dates(document: Mapping[str, Any]) -> list[str]:
    """The schema checks the shape of dates and times; this checks that they exist and that
    the times to be stored can be, once in UTC."""
    found: list[tuple[str, str | None, Any, bool]] = [
        ("exported_at", document["exported_at"], moment, False)
    ]
    for index, article in enumerate(document["articles"]):
        found.append((f"articles[{index}].published_on", article.get("published_on"), day, False))
        for number, revision in enumerate(article.get("revisions", [])):
            place = f"articles[{index}].revisions[{number}]"
            found.append((f"{place}.created_at", revision["created_at"], moment, True))
            found.append((f"{place}.published_on", revision.get("published_on"), day, False))
    for index, claim in enumerate(document["claims"]):
        for name in ("created_at", "updated_at", "submitted_at", "published_at"):
            found.append((f"claims[{index}].{name}", claim.get(name), moment, True))
        for number, event in enumerate(claim.get("history", [])):
            place = f"claims[{index}].history[{number}].created_at"
            found.append((place, event["created_at"], moment, True))
        for number, kept in enumerate(claim.get("versions", [])):
            place = f"claims[{index}].versions[{number}].created_at"
            found.append((place, kept["created_at"], moment, True))
        for number, moved in enumerate(claim.get("reanchorings", [])):
            place = f"claims[{index}].reanchorings[{number}].created_at"
            found.append((place, moved["created_at"], moment, True))
        for number, record in enumerate(claim.get("publications", [])):
            place = f"claims[{index}].publications[{number}]"
            for name in ("published_at", "first_published_at"):
                found.append((f"{place}.{name}", record[name], moment, True))
            for at, source in enumerate(record.get("sources", [])):
                for name in ("accessed_on", "published_on"):
                    found.append((f"{place}.sources[{at}].{name}", source.get(name), day, False))
    problems = []
    for place, text, parse, stored in found:
        try:
            value = parse(text)
        except ValueError:
            problems.append(f"{place}: {text!r} is not a real date or time.")
            continue
        if stored and value is not None:
            try:
                validate_moment(value)
            except ValidationError as error:
                problems.extend(f"{place}: {text!r}: {message}" for message in error.messages)
    return problems


def _bad_usernames(document: Mapping[str, Any]) -> list[str]:
    """Every person the file names, checked as the account will be stored
    (services.users.clean_username)."""
    problems: list[str] = []
    for index, article in enumerate(document["articles"]):
        for number, revision in enumerate(article.get("revisions", [])):
            if revision.get("created_by") is None:
                continue
            try:
                clean_username(revision["created_by"])
            except ValidationError as error:
                place = f"articles[{index}].revisions[{number}].created_by"
                problems.extend(f"{place}: {m}" for m in error.messages)
    for index, claim in enumerate(document["claims"]):
        named = [("author", claim["author"]), ("reviewer", claim.get("reviewer"))]
        named.extend(
            (f"history[{number}].actor", event["actor"])
            for number, event in enumerate(claim.get("history", []))
        )
        named.extend(
            (f"versions[{number}].author", kept["author"])
            for number, kept in enumerate(claim.get("versions", []))
        )
        for name, username in named:
            if username is None:
                continue
            try:
                clean_username(username)
            except ValidationError as error:
                problems.extend(f"claims[{index}].{name}: {m}" for m in error.messages)
    return problems


def _place(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the document)"


def problem_messages(place: str, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{place}.{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{place}: {message}" for message in error.messages]


def moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
