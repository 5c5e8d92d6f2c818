"""What changed between two versions of a claim's content (models.ClaimVersion), for the
review screen: each text field as runs of kept, inserted and deleted words (difflib), and the
sources matched by id (else by URL) as added, removed or changed. Pure functions of the
versions."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from annotations.outputs import SOURCE_FIELDS

if TYPE_CHECKING:
    from annotations.models import ClaimVersion

# Words and the spaces between them, each a token, so that the text joins back as it was.
_TOKENS = re.compile(r"\s+|[^\s]+")

TEXT_FIELDS = (("claim_text", "Claim"), ("claimant", "Claimant"), ("rationale", "Rationale"))
_SOURCE_LABELS = {
    "url": "URL",
    "title": "title",
    "publisher": "publisher",
    "published_on": "published on",
    "accessed_on": "accessed on",
    "archive_url": "archive URL",
    "passage": "passage",
    "kind": "kind",
}


@dataclass(frozen=True)
class Run:
    kind: Literal["same", "ins", "del"]
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    runs: list[Run]


@dataclass(frozen=True)
class SourceChange:
    kind: Literal["added", "removed", "changed"]
    name: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ContentChanges:
    fields: list[FieldChange]
    sources: list[SourceChange]

    def __bool__(self) -> bool:
        return bool(self.fields or self.sources)


def word_runs(before: str, after: str) -> list[Run]:
    """`after` against `before` as runs of kept, inserted and deleted text, word by word.
    Changed words separated only by spaces read as one change ("<del>Official
    statistics</del><ins>The labour survey</ins>"), not as a word-by-word interleaving."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    runs: list[Run] = []
    deleted, inserted = "", ""

    def flush() -> None:
        nonlocal deleted, inserted
        for kind, text in (("del", deleted), ("ins", inserted)):
            if text.strip():
                runs.append(Run(kind, text))  # type: ignore[arg-type]
            elif text and kind == "ins":
                runs.append(Run("same", text))
        deleted, inserted = "", ""

    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            deleted += "".join(old[i1:i2])
            inserted += "".join(new[j1:j2])
            continue
        kept = "".join(old[i1:i2])
        if (deleted or inserted) and kept.isspace() and number + 1 < len(opcodes):
            deleted += kept
            inserted += kept
            continue
        flush()
        runs.append(Run("same", kept))
    flush()
    return runs


def content_changes(before: ClaimVersion, after: ClaimVersion) -> ContentChanges:
    """Each field and source of `after` that differs from `before`."""
    fields = [
        FieldChange(label, word_runs(getattr(before, name), getattr(after, name)))
        for name, label in TEXT_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    if before.verdict_id != after.verdict_id:
        fields.append(
            FieldChange("Verdict", word_runs(_label(before.verdict), _label(after.verdict)))
        )
    return ContentChanges(fields, source_changes(before.sources, after.sources))


def source_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[SourceChange]:
    """Sources matched by id, else by URL (a list sent without ids replaces its sources with
    new rows, and the same page cited again is the same source to a reader): those only in
    `after` added, only in `before` removed, and those in both with a field changed."""
    by_id = {source["id"]: source for source in before if source.get("id") is not None}
    unmatched = list(before)
    changes = []
    for source in after:
        previous = by_id.get(source.get("id")) if source.get("id") is not None else None
        if previous is None:
            previous = next((old for old in unmatched if old.get("url") == source.get("url")), None)
        if previous is None or previous not in unmatched:
            changes.append(SourceChange("added", _name(source)))
            continue
        unmatched.remove(previous)
        fields = [
            FieldChange(
                _SOURCE_LABELS[name],
                word_runs(_text(previous.get(name)), _text(source.get(name))),
            )
            for name in SOURCE_FIELDS
            if previous.get(name) != source.get(name)
        ]
        if fields:
            changes.append(SourceChange("changed", _name(source), fields))
    changes.extend(SourceChange("removed", _name(source)) for source in unmatched)
    return changes


def _name(source: dict[str, Any]) -> str:
    return str(source.get("title") or source.get("url") or "a source")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _label(verdict: Any) -> str:
    return "none" if verdict is None else str(verdict.label)


def text_runs(before: str, after: str) -> list[Run]:
    """Two texts of an article as runs of kept, inserted and deleted text: lines are aligned
    first (difflib), and the lines replaced are compared word by word (word_runs), so that a
    long article costs a diff of its lines, and a paragraph with a figure changed reads as that
    figure struck and the new one inserted."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    runs: list[Run] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if tag == "equal":
            runs.append(Run("same", removed))
        elif tag == "replace":
            runs.extend(word_runs(removed, added))
        elif tag == "delete":
            runs.append(Run("del", removed))
        else:
            runs.append(Run("ins", added))
    # Neighbours of one kind read as one mark.
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].kind == run.kind:
            merged[-1] = Run(run.kind, merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return merged
