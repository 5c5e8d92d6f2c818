"""Old offsets to new offsets through one diff of two texts (diff-match-patch), refined in
tiers (lines, then words, then characters) within one deadline: what re-anchoring
(annotations.reanchoring) maps every claim of an article through."""

from __future__ import annotations

import re
import sys
import time
from bisect import bisect_right

from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

# A diff that has not converged by then leaves the blocks it has not refined deleted and
# inserted whole: still a true diff, only coarser, so the claims in them are orphaned. An
# edit of a few places takes a small fraction of this; an article edited in every
# paragraph takes a good part of it, and on a busy server more, where a tighter limit
# would make the outcome depend on the load.
DIFF_TIMEOUT_SECONDS = 2.0


_EQUAL = 0
_DELETE = -1
_INSERT = 1


# The diff refines in tiers: lines, then words (and single signs and spaces) inside each
# block of changed lines, then characters inside each run of changed words. Each tier is
# diff-match-patch's diff of the tokens written as one character each (as its own line
# mode does), so a paragraph with a few changed words costs a diff of a few dozen tokens
# rather than of its hundreds of characters.
_TIERS = (re.compile(r"[^\n]*\n|[^\n]+"), re.compile(r"\w+|\s+|[^\w\s]"))


def _diff(old_text: str, new_text: str) -> list[tuple[int, str]]:
    """The diff of the two texts, as diff-match-patch's (operation, text) pairs.

    The library's own line mode merges blocks of changed lines separated by short
    unchanged ones (blank lines included) before refining them, so an article whose every
    paragraph had a small edit becomes one block of the whole text, too long to refine in
    time. Here each block is refined on its own, all within one deadline, past which a
    block stays deleted and inserted whole (still a true diff, only coarser).
    """
    dmp = diff_match_patch()
    diffs = _refined(dmp, old_text, new_text, 0, time.time() + DIFF_TIMEOUT_SECONDS)
    dmp.diff_cleanupMerge(diffs)
    return diffs


def _refined(
    dmp: diff_match_patch, old: str, new: str, tier: int, deadline: float
) -> list[tuple[int, str]]:
    if tier == len(_TIERS):
        return list(dmp.diff_main(old, new, False, deadline))
    tokens: list[str] = []
    codes: dict[str, str] = {}

    def encoded(text: str) -> str:
        written = []
        for token in _TIERS[tier].findall(text):
            code = codes.get(token)
            if code is None:
                code = codes[token] = chr(len(tokens))
                tokens.append(token)
            written.append(code)
        return "".join(written)

    old_codes, new_codes = encoded(old), encoded(new)
    if len(tokens) > sys.maxunicode:  # more distinct tokens than characters to write them
        return _refined(dmp, old, new, tier + 1, deadline)
    coarse = dmp.diff_main(old_codes, new_codes, False, deadline)
    diffs: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, code in [*coarse, (_EQUAL, "")]:
        text = "".join(tokens[ord(c)] for c in code)
        if op == _DELETE:
            deleted.append(text)
        elif op == _INSERT:
            inserted.append(text)
        else:
            if deleted and inserted:
                diffs.extend(_refined(dmp, "".join(deleted), "".join(inserted), tier + 1, deadline))
            elif deleted:
                diffs.append((_DELETE, "".join(deleted)))
            elif inserted:
                diffs.append((_INSERT, "".join(inserted)))
            deleted, inserted = [], []
            if text:
                diffs.append((_EQUAL, text))
    return diffs


class OffsetMap:
    """Old offsets to new offsets through one diff."""

    def __init__(self, old_text: str, new_text: str) -> None:
        diffs = _diff(old_text, new_text)
        # Segments of the old text, in order: (old start, old end, new start, new end, op).
        # An insertion is attached to the deletion before it (a replacement), or stands alone
        # as an empty old segment.
        self.segments: list[tuple[int, int, int, int, int]] = []
        old = new = 0
        for op, text in diffs:
            size = len(text)
            if op == _EQUAL:
                self.segments.append((old, old + size, new, new + size, _EQUAL))
                old += size
                new += size
            elif op == _DELETE:
                self.segments.append((old, old + size, new, new, _DELETE))
                old += size
            else:
                if (
                    self.segments
                    and self.segments[-1][4] == _DELETE
                    and self.segments[-1][3] == new
                ):
                    o1, o2, n1, _, _ = self.segments[-1]
                    self.segments[-1] = (o1, o2, n1, new + size, _DELETE)
                else:
                    self.segments.append((old, old, new, new + size, _INSERT))
                new += size
        self.starts = [segment[0] for segment in self.segments]

    def equal_segment(self, start: int, end: int) -> int | None:
        """The new offset of `start` when [start, end) lies inside one unchanged run."""
        index = bisect_right(self.starts, start) - 1
        if index < 0:
            return None
        o1, o2, n1, _, op = self.segments[index]
        return n1 + start - o1 if op == _EQUAL and end <= o2 else None

    def start(self, position: int) -> int:
        """Where an old start offset lands: after any insertion at that place."""
        index = bisect_right(self.starts, position) - 1
        # Several segments may start at `position` (an insertion, then what follows it):
        # the last of them is the one that holds the position.
        o1, _, n1, n2, op = self.segments[index] if index >= 0 else (0, 0, 0, 0, _EQUAL)
        if op == _EQUAL:
            return n1 + position - o1
        if op == _INSERT:
            return n2
        return n1

    def end(self, position: int) -> int:
        """Where an old end offset lands: before any insertion at that place."""
        index = bisect_right(self.starts, position - 1) - 1 if position > 0 else 0
        if index < 0:
            return 0
        o1, _, n1, n2, op = self.segments[index]
        if op == _EQUAL:
            return n1 + position - o1
        return n2
