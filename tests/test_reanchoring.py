"""Re-anchoring claims onto a new revision of their article (annotations.reanchoring).

The corpus of edits is in tests/reanchoring_cases.py: each case names the outcome a claim
must get and, unless it is orphaned, the exact span it must land on.
"""

from __future__ import annotations

from collections import Counter

import pytest
import regex
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import Span, cluster_around, span_in
from annotations.reanchoring import (
    DISTINCT_QUOTE,
    EDITED_MARGIN,
    EDITED_THRESHOLD,
    MOVED_CONTEXT,
    Outcome,
    Placement,
    reanchor,
)
from tests.reanchoring_cases import CASES, EN, Case, plain, unmark


def claim_of(marked: str) -> tuple[str, Span]:
    text, where = unmark(marked)
    assert where is not None, "the old text marks the claim's quote"
    return text, span_in(text, *where)


def run(case: Case) -> tuple[Placement, str, tuple[int, int] | None]:
    old, anchor = claim_of(case.old)
    new, expected_span = unmark(case.new)
    [placement] = reanchor(old, new, [anchor])
    return placement, new, expected_span


def test_the_corpus_is_large_and_covers_every_outcome():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES), "case names are unique"
    assert {case.expected for case in CASES} == set(Outcome.values)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_edit_case(case: Case):
    placement, new, expected_span = run(case)
    old = plain(case.old)
    if case.name != "identical text" and "CRLF" not in case.name:
        assert old != new, "the case's edit must change the text"
    assert placement.outcome == case.expected, str(placement.reason)
    assert str(placement.reason).endswith(".")
    if case.expected == Outcome.ORPHANED:
        assert expected_span is None, "an orphaned case marks no span in the new text"
        assert placement.span is None
        assert placement.score is None
        return
    assert expected_span is not None, "the case marks where the claim must land"
    assert placement.span is not None
    assert (placement.span.start, placement.span.end) == expected_span
    # The span can be saved on a claim as it is: it is what span_in makes of the new text.
    assert placement.span == span_in(new, *expected_span)
    if case.expected == Outcome.EDITED:
        assert placement.score is not None
        assert EDITED_THRESHOLD <= placement.score <= 100
        assert placement.span.quote != claim_of(case.old)[1].quote
    else:
        assert placement.score is None
        assert placement.span.quote == claim_of(case.old)[1].quote


def test_outcome_table(capsys: pytest.CaptureFixture[str]):
    """The table of the corpus: case, expected outcome, outcome got (printed with -s)."""
    rows = []
    for case in CASES:
        placement, _, _ = run(case)
        score = "" if placement.score is None else f" ({placement.score:g})"
        rows.append((case.name, case.expected, f"{placement.outcome}{score}"))
    width = max(len(name) for name, _, _ in rows)
    with capsys.disabled():
        print(f"\n{'case':<{width}}  {'expected':<9}  got")
        for name, expected, got in rows:
            print(f"{name:<{width}}  {expected:<9}  {got}")
    misses = [row for row in rows if not row[2].startswith(row[1])]
    assert misses == []


def test_anchors_are_placed_in_order_through_one_diff():
    old, first = claim_of(EN)
    start = old.index("energy prices")
    second = span_in(old, start, start + len("energy prices"))
    start = old.index("The next report")
    third = span_in(old, start, start + len("The next report is due in June."))
    new = old.replace("The labour minister", "Labour minister Ana Reyes").replace(
        "The next report is due in June.", ""
    )
    placements = reanchor(old, new, [third, first, second, first])
    assert [p.outcome for p in placements] == [
        Outcome.ORPHANED,
        Outcome.UNCHANGED,
        Outcome.UNCHANGED,
        Outcome.UNCHANGED,
    ]
    assert placements[1] == placements[3]
    assert placements[2].span is not None
    assert new[placements[2].span.start : placements[2].span.end] == "energy prices"


def test_no_anchor_no_placement():
    assert reanchor(EN, EN + " More.", []) == []


def test_an_empty_new_text_orphans_every_claim():
    old, anchor = claim_of(EN)
    [placement] = reanchor(old, "", [anchor])
    assert placement.outcome == Outcome.ORPHANED


def test_the_thresholds_leave_room_for_a_decision():
    assert 50 < EDITED_THRESHOLD < 100
    assert 0 < EDITED_MARGIN < 100 - EDITED_THRESHOLD + 1


# --- Invalid anchors ----------------------------------------------------------------------------

OLD = plain(EN)


@pytest.mark.parametrize(
    ("anchor", "says"),
    [
        (Span(len(OLD), len(OLD) + 3, "abc", "", ""), "past the end"),
        (Span(-1, 3, "Nor", "", ""), "negative"),
        (Span(5, 5, "", "", ""), "greater than start"),
        (Span(0, 5, "South", "", ""), "does not match"),
    ],
    ids=["past the end", "negative start", "empty", "quote not in the old text"],
)
def test_an_anchor_that_is_not_a_span_of_the_old_text_is_refused_naming_it(anchor, says):
    good = span_in(OLD, 0, 10)
    with pytest.raises(ValidationError) as raised:
        reanchor(OLD, OLD, [good, anchor])
    messages = raised.value.message_dict
    assert list(messages) == ["anchors[1]"]
    assert says in " ".join(messages["anchors[1]"])


def test_an_anchor_cutting_a_character_in_two_is_refused():
    old = "A family 👨\u200d👩\u200d👧 arrived."
    start = old.index("👩")
    with pytest.raises(ValidationError) as raised:
        reanchor(old, old, [Span(start, start + 1, old[start], "", "")])
    assert "anchors[0]" in raised.value.message_dict


# --- Property: edits that do not touch a quote ----------------------------------------------

PIECES = [
    "The minister said ",
    "prices rose ",
    "5.2 percent",
    "Москва ",
    "инфляция ",
    "北京",
    "数据。",
    "déficit ",
    "👨\u200d👩\u200d👧",
    "🇫🇷",
    "e\u0301",
    "👍🏽",
    " ",
    "  ",
    "\n",
    "\n\n",
    ", ",
    ". ",
    "a",
    "é",
]
fragments = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@st.composite
def edits(draw: st.DrawFn, text: str) -> str:
    """`text` after a few random deletions, insertions and replacements."""
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        text = text[:start] + draw(fragments) + text[end:]
    return text


PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
text_of = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def occurrences(text: str, part: str) -> int:
    return len(regex.findall(regex.escape(part), text, overlapped=True))


def check_kept_exactly(old: str, anchor: Span, new: str, at: int) -> None:
    """The claim on `anchor` lands on the quote at `at` in `new`, or, when the new text
    holds the quote more than once, on one of its exact copies."""
    [placement] = reanchor(old, new, [anchor])
    assert placement.outcome in (Outcome.UNCHANGED, Outcome.MOVED), placement
    assert placement.span is not None
    assert new[placement.span.start : placement.span.end] == anchor.quote
    assert placement.span == span_in(new, placement.span.start, placement.span.end)
    if occurrences(new, anchor.quote) == 1:
        assert placement.span.start == at


def joined_to(text: str, start: int, end: int) -> bool:
    """Whether a character is joined to the first or last one of text[start:end] (an
    accent, a skin tone, a ZWJ): an edit that does this has changed the quote."""
    return cluster_around(text, start) is not None or cluster_around(text, end) is not None


@given(data=st.data())
@PROPERTY
def test_edits_around_a_distinct_quote_keep_it_exactly(data: st.DataObject):
    """Any edits outside a quote of DISTINCT_QUOTE visible characters or more, its context
    included, that do not write another copy of it, give unchanged or moved, at the exact
    offsets."""
    before = data.draw(text_of, "before")
    quote = data.draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=12).map("".join))
    after = data.draw(text_of, "after")
    old = before + quote + after
    start, end = len(before), len(before) + len(quote)
    assume(len(quote) - sum(map(str.isspace, quote)) >= DISTINCT_QUOTE)
    assume(not joined_to(old, start, end) and occurrences(old, quote) == 1)
    new_before = data.draw(edits(before), "new before")
    new = new_before + quote + data.draw(edits(after), "new after")
    assume(not joined_to(new, len(new_before), len(new_before) + len(quote)))
    # Two copies where there was one may be two equal candidates: see the test below.
    assume(occurrences(new, quote) == 1)
    check_kept_exactly(old, span_in(old, start, end), new, len(new_before))


@given(data=st.data())
@PROPERTY
def test_edits_beyond_the_context_of_any_quote_keep_it_exactly(data: st.DataObject):
    """Any edits that leave a quote, however short, and its prefix and suffix alone give
    unchanged or moved, at the exact offsets."""
    before = data.draw(text_of, "before")
    quote = data.draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join))
    after = data.draw(text_of, "after")
    old = before + quote + after
    start, end = len(before), len(before) + len(quote)
    assume(regex.search(r"\S", quote) and not joined_to(old, start, end))
    anchor = span_in(old, start, end)
    # A quote that is the whole text has no context to keep (the first property covers
    # long quotes without it; a short one is orphaned: see the test after this one). A
    # quote repeated in the old text may have its copy mapped onto the place the context
    # points to ("x x" becoming "y x x"), and then the diff and the context disagree:
    # the corpus holds the repeated quotes whose outcome is known.
    assume(len(anchor.prefix) + len(anchor.suffix) >= MOVED_CONTEXT)
    assume(occurrences(old, quote) == 1)
    far_before = before[: len(before) - len(anchor.prefix)]
    far_after = after[len(anchor.suffix) :]
    new_far_before = data.draw(edits(far_before), "new far before")
    new = new_far_before + anchor.prefix + quote + anchor.suffix + data.draw(edits(far_after))
    at = len(new_far_before) + len(anchor.prefix)
    assume(not joined_to(new, at - len(anchor.prefix), at + len(quote) + len(anchor.suffix)))
    # The quote with its whole context, twice in the new text, is two equal candidates; and
    # copies of a short quote written elsewhere by the edit may leave too little context to
    # tell them apart ("Москва The minister said" among three copies of "The minister
    # said"): orphaned, never guessed, as the first property excludes too.
    assume(occurrences(new, anchor.prefix + quote + anchor.suffix) == 1)
    assume(occurrences(new, quote) == 1)
    check_kept_exactly(old, anchor, new, at)


def test_an_edit_that_writes_a_copy_of_the_quote_right_after_it_is_not_guessed():
    """The diff maps the quote's start to the original and its end to the copy, and both
    keep about as much of the old context: orphaned rather than a guess."""
    said = "The minister said "
    quote = f"{said}{said}\n\n{said}{said}"
    old = said + quote + "prices rose "
    new = said + quote + said + "prices rose " + quote + "prices rose "
    [placement] = reanchor(old, new, [span_in(old, len(said), len(said) + len(quote))])
    assert placement.outcome == Outcome.ORPHANED


def test_a_short_quote_whose_surroundings_moved_across_it_is_not_guessed():
    """The diff keeps the longer sentence in place and sees the figure deleted and added
    again; nothing of its old context is left beside it: orphaned rather than a guess."""
    old = "42 percent. The minister said so on Tuesday."
    new = "The minister said so on Tuesday. 42 percent."
    [placement] = reanchor(old, new, [span_in(old, 0, 10)])
    assert placement.outcome == Outcome.ORPHANED


def test_a_long_quote_alone_in_both_texts_is_moved_whatever_surrounds_it():
    quote = "unemployment fell to 5.2 percent in March"
    old = f"{quote}. The minister said so on Tuesday in parliament."
    new = f"The minister said so on Tuesday in parliament. Officials: {quote}!"
    [placement] = reanchor(old, new, [span_in(old, 0, len(quote))])
    assert placement.outcome == Outcome.MOVED
    assert placement.span == span_in(new, new.index(quote), new.index(quote) + len(quote))


def test_the_benchmark_revision_gives_every_outcome_on_its_claims():
    """bench/reanchor.py times what a day of corrections does to an article: its data must
    keep exercising every path (a smaller article here)."""
    from bench.reanchor import article, revision

    old, anchors = article(claims=200, size=20_000)
    new = revision(old)
    outcomes = Counter(str(placement.outcome) for placement in reanchor(old, new, anchors))
    assert set(outcomes) == set(Outcome.values)
    assert outcomes[Outcome.UNCHANGED] > 150
