"""Text as search and matching compare it: folded (case and accents gone), cut into words,
and the features that decide whether two texts say the same thing (numbers, negation, names).

Pure functions, no database. The search index (annotations.search) stores text folded here
and every query is folded here too, so PostgreSQL and SQLite compare the same words: neither
engine's own folding goes far enough alone (SQLite's `remove_diacritics` leaves Cyrillic ё,
PostgreSQL's `simple` configuration keeps every accent).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import regex

# A word: letters and digits, no underscore, so that both engines' tokenizers cut the stored
# text (words joined by spaces) exactly where this one did.
WORD = re.compile(r"[^\W_]+")
# "doesn't", "can’t": the negation is a word of its own.
_NOT = re.compile(r"n[’']t\b", re.IGNORECASE)
# A number as written: 5, 4.2, 4,2, 5,000, 5 000 (thousands apart by a space of any width).
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)*")
_CAPITAL = regex.compile(r"\p{Lu}")
_LETTER = regex.compile(r"\p{L}")
_CAPITALISED = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{N}]*")
# Words longer than this are compared by their first STEM letters: a crude stemmer that works
# the same in every language, for endings (fallen/falling, chômage/chômeurs, выросла/вырос).
STEM = 6


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say little about what a claim says; they weigh less in the score.
STOPWORDS = _word_list(
    """
    a an and are as at be been by for from had has have he her his i in is it its of on or
    our said says she than that the their them there they this to was we were which who will
    with would you
    a au aux avec c ce ces d dans de des du elle en est et il ils j l la le les leur m mais par
    pour qu que qui s sa se ses son sur un une
    а без бы был была были было в во да для же за и из к как ли на но о об от по при с со так
    то что это
    """
)

# Words that turn a statement into its opposite (folded). French "ne … pas" also appears as n'.
NEGATIONS = _word_list(
    """
    not no never nobody nothing none neither nor cannot without
    ne n pas jamais aucun aucune rien sans
    не нет ни никогда никто ничто ничего
    """
)


# Every combining mark (accents, the diaeresis of ё, the breve of й), dropped by fold.
_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]"
)


def fold(text: str) -> str:
    """`text` without case or accents: é→e, Ё→е, ß→ss, ﬁ→fi. Never longer by more than a
    few characters per character; offsets into it are not offsets into `text` (see
    fold_with_map)."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each of its characters the index in `text` it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def fold_for_words(text: str) -> str:
    """fold(text), with "n't" written as the word "not" it is."""
    return fold(_NOT.sub(" not", text))


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return WORD.findall(fold_for_words(text))


def index_text(text: str) -> str:
    """What the search index stores for `text`: its folded words joined by spaces."""
    return " ".join(words(text))


def stem(word: str) -> str:
    return word[:STEM]


def numbers(text: str) -> frozenset[str]:
    """The numbers written in `text`, normalised: 5,000 and 5 000 are 5000; 4,2 and 4.2 are
    4.2 (a group of exactly three digits after the separator is read as thousands)."""
    found = set()
    for match in _NUMBER.finditer(text):
        groups = re.split(r"[., \u00a0\u202f]", match.group())
        if len(groups) > 1 and all(len(group) == 3 for group in groups[1:]):
            found.add("".join(groups).lstrip("0") or "0")
        elif len(groups) == 2:
            found.add(f"{groups[0].lstrip('0') or '0'}.{groups[1]}")
        else:
            found.update(group.lstrip("0") or "0" for group in groups)
    return frozenset(found)


def _names(text: str) -> frozenset[str]:
    """Stems of the words written with a capital (people, places, bodies), unless the text is
    mostly capitals (a headline in upper case names nothing by its case)."""
    if len(_CAPITAL.findall(text)) * 2 > len(_LETTER.findall(text)):
        return frozenset()
    found = set()
    for word in _CAPITALISED.findall(text):
        folded = fold(word)
        if folded not in STOPWORDS:
            found.add(stem(folded))
    return frozenset(found)


class Features(NamedTuple):
    """What the matcher compares of one text: its stems (words with a meaning, and little
    words) and their weight, numbers, whether it is negated, and its names. Never changed
    once made (a tuple, as the matcher makes a hundred thousand of them)."""

    content: set[str]
    little: set[str]
    weight: float
    numbers: set[str]
    negated: bool
    names: set[str]


# What a little word weighs against a word with a meaning.
LITTLE = 0.25
_STOP_STEMS = frozenset(stem(word) for word in STOPWORDS)
_NEGATION_STEMS = frozenset(stem(word) for word in NEGATIONS)


@lru_cache(maxsize=65536)
def features(text: str) -> Features:
    return stored_features(*stored(text))


def key_of(text: str) -> str:
    """The stems of the words of `text` (numbers aside), each once, in order, joined by
    spaces: what "checked before?" compares (ClaimSearch.claim_key)."""
    return " ".join(dict.fromkeys(word[:STEM] for word in words(text) if not word.isdigit()))


def stored(text: str) -> tuple[str, str, str]:
    """What the search table keeps of a restated claim for matching (ClaimSearch.claim_key,
    numbers, names): its stems, its numbers and the stems of its names, each joined by
    spaces, so that the matcher reads every published claim without folding it again."""
    return key_of(text), " ".join(sorted(numbers(text))), " ".join(sorted(_names(text)))


def stored_features(key: str, numbers: str, names: str) -> Features:
    """The Features of a text from what `stored` made of it."""
    stems = set(key.split())
    content = stems - _STOP_STEMS
    little = stems & _STOP_STEMS
    return Features(
        content,
        little,
        len(content) + LITTLE * len(little),
        set(numbers.split()),
        not _NEGATION_STEMS.isdisjoint(stems),
        set(names.split()),
    )


# Two texts say the same thing when their score reaches this (and the guards below hold).
THRESHOLD = 0.6


def score(claim: Features, text: Features) -> float:
    """How far `text` says what the published claim says, from 0 to 1: the share of the
    claim's words found in the text, weighed three to one against the share of the text's
    words found in the claim (so that a fragment of a claim is not the claim, and a sentence
    that adds who said it still is). Words are compared by their stems; little words weigh a
    quarter.

    0 when a guard fails, whatever the words: a number of the claim missing from the text;
    one of them negated and the other not; a name of the claim (a capitalised word) missing
    from the text. The text may hold more numbers and names than the claim (a date, who said
    it)."""
    if not claim.content or not text.content:
        return 0.0
    if not claim.numbers <= text.numbers:
        return 0.0
    if claim.negated != text.negated:
        return 0.0
    if not claim.names <= text.content:
        return 0.0
    shared = len(claim.content & text.content) + LITTLE * len(claim.little & text.little)
    return round(0.75 * shared / claim.weight + 0.25 * shared / text.weight, 4)


# Search reads an article's title and this much of its text: the engines index a bounded
# document (PostgreSQL refuses a tsvector past 1 MB), and a desk's articles fit in it.
ARTICLE_INDEXED = 200_000


def claim_document(
    *, claim_text: str, quote: str, claimant: str, rationale: str, source_titles: list[str]
) -> str:
    """The indexed text of a claim (ClaimSearch.document)."""
    return index_text("\n".join([claim_text, quote, claimant, rationale, *source_titles]))


def article_document(*, title: str, body: str) -> str:
    """The indexed text of an article (ArticleSearch.document)."""
    return index_text(f"{title}\n{body[:ARTICLE_INDEXED]}")
