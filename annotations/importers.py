"""Read article files (.txt, .md, .html, .json) and hand them to services.article_import.

Formats (docs/import-formats.md has the details):
- .txt and .md: the text, with an optional YAML front-matter block between two `---`
  lines at the very top (title, source_url, publisher, byline, published_on, language).
  Markdown is rendered and reduced to the text a reader sees.
- .html: the article text extracted with trafilatura (without the headline it often repeats
  as the first line); metadata from the page's own tags.
- .json: one object, or a list of objects, with the fields above plus `body`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from annotations import services
from annotations.models import RevisionKind
from annotations.validators import describe_unclean, find_unclean, replace_unclean

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json")
METADATA_FIELDS = ("title", "source_url", "publisher", "byline", "published_on", "language")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_]+):\s+(.*?)\s*$")
# Lists and quotes within each other: the Markdown library recurses once per level, slows
# down long before it runs out of stack, and no article nests this deep.
MAX_MARKDOWN_DEPTH = 40


class ArticleFileError(Exception):
    """A file that cannot be imported; the message says why."""


@dataclass
class ArticleData:
    body: str
    title: str = ""
    source_url: str = ""
    publisher: str = ""
    byline: str = ""
    published_on: dt.date | None = None
    language: str = ""


@dataclass
class FileReport:
    path: Path
    outcomes: list[services.ImportOutcome] = field(default_factory=list)
    error: str | None = None


def import_paths(paths: list[Path], *, imported_by: User | None = None) -> list[FileReport]:
    """Import every supported file under `paths`. Each file stands alone: a bad one is
    reported (FileReport.error) and stores nothing, and the others still import."""
    reports = []
    for path in expand_paths(paths):
        report = FileReport(path=path)
        try:
            report.outcomes = import_file(path, imported_by=imported_by)
        except ArticleFileError as error:
            report.error = str(error)
        reports.append(report)
    return reports


def expand_paths(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def import_file(path: Path, *, imported_by: User | None = None) -> list[services.ImportOutcome]:
    """Parse one file and import what it holds; all or nothing for that file. Raises
    ArticleFileError, having stored nothing, for anything that stops it."""
    from django.db import transaction

    articles = parse_file(path)
    # A record of where the text came from: a name the file system allows but text cannot
    # hold (control characters, bytes that are not UTF-8) is kept legible, not refused.
    source_file = replace_unclean(path.name)
    several = len(articles) > 1
    with transaction.atomic():
        outcomes = []
        for number, data in enumerate(articles, start=1):
            where = f"article {number}: " if several else ""
            try:
                outcomes.append(
                    services.article_import(
                        **vars(data),
                        imported_by=imported_by,
                        source_file=source_file,
                        kind=RevisionKind.FILE,
                        # A file of one article is that article: other text in it is a
                        # revision. Articles of a list are told apart by their text alone.
                        same_file_is_revision=not several,
                    )
                )
            except ValidationError as error:
                raise ArticleFileError(where + describe_refusal(error)) from None
            except PermissionDenied as error:
                raise ArticleFileError(str(error)) from None
            except DatabaseError as error:
                # The checks above should leave nothing for the database to refuse; if it
                # does, this file is reported and the next one still gets its turn.
                raise ArticleFileError(f"{where}the database refused it: {error}") from None
        return outcomes


def parse_file(path: Path) -> list[ArticleData]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleFileError(
            f"unsupported file type {suffix or '(none)'}; use {', '.join(SUPPORTED_SUFFIXES)}"
        )
    text = read_text(path)
    if suffix == ".json":
        return parse_json(text)
    if suffix in (".html", ".htm"):
        return [parse_html(text)]
    if suffix in (".md", ".markdown"):
        return [parse_markdown(text)]
    return [parse_plain_text(text)]


def read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        limit = settings.FACTCHECK_MAX_IMPORT_BYTES
        if size > limit:
            raise ArticleFileError(f"the file is {size:,} bytes; the limit is {limit:,} bytes")
        raw = path.read_bytes()
    except OSError as error:
        raise ArticleFileError(f"cannot read the file: {error.strerror or error}") from None
    return decode(raw)


def decode(raw: bytes) -> str:
    if not raw.strip():
        raise ArticleFileError("the file is empty")
    if b"\x00" in raw:
        raise ArticleFileError("the file is binary (it contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleFileError(
            f"the file is not valid UTF-8 (byte {error.start}: {raw[error.start : error.start + 1]!r})"
        ) from None
    # Refused in the whole file, not only in what is stored: the Markdown and HTML tools
    # would keep some and drop others, so the stored text would depend on the format.
    index = find_unclean(text)
    if index is not None:
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        raise ArticleFileError(
            f"the file contains {describe_unclean(text[index])} at line {line}, "
            f"column {column}; only tab and line breaks may stand among the text"
        )
    return text


# --- Formats --------------------------------------------------------------------------------


def parse_plain_text(text: str) -> ArticleData:
    metadata, body = split_front_matter(text)
    return _article(body, metadata)


def parse_markdown(text: str) -> ArticleData:
    import markdown

    metadata, source = split_front_matter(text)
    if _markdown_depth(source) > MAX_MARKDOWN_DEPTH:
        raise ArticleFileError(
            f"the Markdown is nested more than {MAX_MARKDOWN_DEPTH} levels deep "
            "(lists or quotes within each other): an article never is"
        )
    try:
        html = markdown.markdown(source, output_format="html")
    except RecursionError:
        raise ArticleFileError("the Markdown is nested too deeply to read") from None
    body = html_to_text(html)
    if "title" not in metadata:
        heading = re.search(r"^#\s+(.+)$", source, re.MULTILINE)
        if heading:
            metadata["title"] = heading.group(1).strip()
    return _article(body, metadata)


def parse_html(text: str) -> ArticleData:
    import trafilatura

    body = trafilatura.extract(
        text,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if not body or not body.strip():
        raise ArticleFileError(_("no article text could be found in the HTML page"))
    meta = trafilatura.extract_metadata(text)
    if meta is not None and meta.title:
        body = _without_headline(body, meta.title)
    metadata: dict[str, Any] = {}
    if meta is not None:
        published = _parse_date(meta.date, "date") if meta.date else None
        metadata = {
            "title": meta.title or "",
            "source_url": meta.url or "",
            "publisher": meta.sitename or "",
            "byline": meta.author or "",
            "published_on": published,
            "language": _html_language(text),
        }
    return _article(body, metadata)


def parse_json(text: str) -> list[ArticleData]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArticleFileError(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        # An article file is a list of flat objects; nesting this deep is an attack or junk.
        raise ArticleFileError("malformed JSON: nested too deeply") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ArticleFileError("the JSON list holds no article")
    articles = []
    for number, item in enumerate(items, start=1):
        where = f"article {number}: " if isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise ArticleFileError(f"{where}expected a JSON object with a 'body'")
        unknown = set(item) - {"body", *METADATA_FIELDS}
        if unknown:
            raise ArticleFileError(f"{where}unknown field(s): {', '.join(sorted(unknown))}")
        body = item.get("body")
        if not isinstance(body, str) or not body.strip():
            raise ArticleFileError(f"{where}'body' must be a non-empty string")
        try:
            articles.append(_article(body, {k: v for k, v in item.items() if k != "body"}))
        except ArticleFileError as error:
            raise ArticleFileError(f"{where}{error}") from None
    return articles


# --- Helpers --------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body). The body is everything after the closing `---` line."""
    if not text.startswith("---"):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ArticleFileError("malformed front matter: no closing '---' line")
    block = match.group(1)
    cut = _cut_by_comment(block)
    if cut is not None:
        raise ArticleFileError(cut)
    try:
        # BaseLoader reads every value as written: with safe_load, `title: yes` became True,
        # `title: 1.10` became 1.1 and `title: 2024-05-01` a date. It resolves no tag at all,
        # so it builds fewer kinds of object than safe_load, none but str, list and dict.
        metadata = yaml.load(block, Loader=yaml.BaseLoader) or {}  # noqa: S506
    except yaml.YAMLError as error:
        raise ArticleFileError(_yaml_problem(error, block)) from None
    except RecursionError:
        raise ArticleFileError("malformed front matter: nested too deeply") from None
    if not isinstance(metadata, dict):
        raise ArticleFileError("malformed front matter: expected 'key: value' lines")
    unknown = set(metadata) - set(METADATA_FIELDS)
    if unknown:
        raise ArticleFileError(
            f"unknown front-matter field(s): {', '.join(sorted(map(str, unknown)))}"
        )
    return metadata, text[match.end() :]


def _markdown_depth(source: str) -> int:
    """How deep the most nested line of `source` is: its quote marks, plus its indentation
    in Markdown's steps of four columns."""
    deepest = 0
    for line in source.splitlines():
        content = line.lstrip(" \t>")
        prefix = line[: len(line) - len(content)]
        depth = prefix.count(">") + len(prefix.replace(">", "").expandtabs(4)) // 4
        deepest = max(deepest, depth)
    return deepest


def _cut_by_comment(block: str) -> str | None:
    """The error for an unquoted value holding " #", which YAML would silently cut there
    (`title: We're #1` is "We're"); None when no value is."""
    for number, line in enumerate(block.splitlines()):
        written = _FRONT_MATTER_LINE.match(line)
        if written is None:
            continue
        key, value = written.groups()
        if " #" in value and not value.startswith(("'", '"')):
            # The block starts on the file's second line, after the opening `---`.
            return (
                f'malformed front matter, line {number + 2}: " #" starts a YAML comment, which '
                f"would cut {key} short; put the value in quotes, as in: "
                f"{key}: {json.dumps(value, ensure_ascii=False)}"
            )
    return None


def _yaml_problem(error: yaml.YAMLError, block: str) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return f"malformed front matter: {problem}"
    # The block starts on the file's second line, after the opening `---`.
    line_number = mark.line + 2
    text = f"malformed front matter, line {line_number}: {problem}"
    if problem != "mapping values are not allowed here":
        return text
    lines = block.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    written = _FRONT_MATTER_LINE.match(line)
    if written is None:
        return f'{text}; a value holding ": " must be put in quotes'
    key, value = written.groups()
    return (
        f'{text}; a value holding ": " must be put in quotes, '
        f"as in: {key}: {json.dumps(value, ensure_ascii=False)}"
    )


def _without_headline(body: str, title: str) -> str:
    """`body` without its first line when that line is only the headline again (white space
    aside), as extractors often give it; a body that is nothing else is left whole."""
    first, _, rest = body.lstrip().partition("\n")
    if " ".join(first.split()) == " ".join(title.split()) and rest.strip():
        return rest.lstrip("\n")
    return body


def html_to_text(html: str) -> str:
    """The text a reader sees in a small HTML fragment, one block per paragraph."""
    import lxml.html

    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    # Raw HTML passes through Markdown; code and styles in it are not what a reader sees.
    for hidden in fragment.xpath(".//script | .//style | .//template | .//noscript"):
        hidden.drop_tree()
    blocks = []
    for element in fragment:
        text = element.text_content().strip()
        if text:
            blocks.append(re.sub(r"[ \t]*\n[ \t]*", "\n", text))
    return "\n\n".join(blocks)


def _article(body: str, metadata: dict[str, Any]) -> ArticleData:
    values: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = metadata.get(name)
        if value is None or value == "":
            continue
        if name == "published_on":
            values[name] = value if isinstance(value, dt.date) else _parse_date(value, name)
        elif not isinstance(value, str | int | float):
            raise ArticleFileError(f"'{name}' must be text")
        else:
            values[name] = str(value).strip()
    return ArticleData(body=body, **values)


def _parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ArticleFileError(
            f"'{name}' must be a date written YYYY-MM-DD, not {value!r}"
        ) from None


def _html_language(html: str) -> str:
    match = re.search(
        r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)", html, re.IGNORECASE
    )
    return match.group(1) if match else ""


def describe_refusal(error: ValidationError) -> str:
    """The service's refusal as one line, each message after the field it is about."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
