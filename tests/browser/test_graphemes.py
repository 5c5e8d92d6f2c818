"""A selection that starts or ends inside a user-perceived character (half a flag, part of an
emoji family, a letter without its accent) is widened to the whole character before the form
opens, so the page never sends a span the server refuses."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.anchoring import cluster_around
from annotations.models import Claim
from annotations.roles import Role
from tests.factories import ArticleFactory, make_user
from tests.utf16 import index_to_utf16_offset

FLAGS = "\U0001f1fa\U0001f1e6\U0001f1eb\U0001f1f7"  # UA, FR: four code points, eight units
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # woman, ZWJ, woman, ZWJ, girl
CAFE = "cafe\u0301"  # the accent is a code point of its own
BODY = f"Fans waved {FLAGS} flags; the {FAMILY} family met at the {CAFE} terrace.\n"


def units(text: str, offset: int = 0) -> int:
    """The UTF-16 offset, in BODY, of `offset` UTF-16 units into the first `text`."""
    return index_to_utf16_offset(BODY, BODY.index(text)) + offset


def select_units(page: Page, start: int, end: int) -> None:
    """Select the article text from UTF-16 offset `start` to `end`, as a script (or a touch
    handle, or an assistive tool) may, with no regard for where characters begin."""
    page.evaluate(
        """([start, end]) => {
            const text = document.getElementById("article-text").firstChild;
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, end);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [start, end],
    )


CASES = [
    # Between the two regional indicators of the Ukrainian flag.
    ("start-between-flag-halves", units(FLAGS, 2), units(" flags;", 6), f"{FLAGS} flags"),
    # Between the two UTF-16 units of the French flag's second regional indicator.
    ("start-inside-a-surrogate", units(FLAGS, 7), units(" flags;", 6), f"{FLAGS[2:]} flags"),
    # After the first woman and her joiner.
    ("end-inside-a-zwj-family", units("the "), units(FAMILY, 3), f"the {FAMILY}"),
    (
        "from-a-flag-into-the-family",
        units(FLAGS, 6),
        units(FAMILY, 6),
        f"{FLAGS[2:]} flags; the {FAMILY}",
    ),
    # Between the letter and its combining accent.
    ("end-before-an-accent", units("at the"), units(CAFE, 4), f"at the {CAFE}"),
]


@pytest.mark.parametrize(
    ("start", "end", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_selection_inside_a_character_is_widened_to_the_whole_character(
    open_page: Any, verdict_scale: None, start: int, end: int, expected: str
) -> None:
    admin = make_user(Role.ADMIN, "boss")
    article = services.article_import(title="Flags", body=BODY, imported_by=admin).article
    page = open_page(make_user(Role.EDITOR, "ed"), f"/articles/{article.pk}/")

    select_units(page, start, end)
    page.get_by_role("button", name="New claim").click()
    expect(page.locator("#claim-form-quote")).to_have_text(expected)
    expect(page.get_by_label("Claim", exact=True)).to_have_value(expected)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()

    claim = Claim.objects.get()
    assert claim.quote == expected
    assert (claim.start, claim.end) == (BODY.index(expected), BODY.index(expected) + len(expected))
    expect(page.locator("#article-text mark.claim-mark")).to_have_text(expected)


TEXTS = [
    BODY,
    "\U0001f1fa\U0001f1e6\U0001f1eb\U0001f1f7\U0001f1fa",  # two flags and half of a third
    "\u2764\ufe0f \U0001f44d\U0001f3fd \U0001f3f3\ufe0f\u200d\U0001f308 #\ufe0f\u20e3",
    "Москва\u0301 \u0915\u094d\u0937\u093f \u0928\u093f\u0930\u094d\u092f\u093e\u0924",
    "\u1100\u1161\u11a8\uac00\uac01 \u0e01\u0e33 \u0600a e\u0301\u0308",
    "line\r\nbreaks\n\u200d\ufe0f\n\u0301 alone",
]


def test_the_page_and_the_server_cut_characters_in_the_same_places(
    open_page: Any, verdict_scale: None
) -> None:
    """Every selection of these texts is widened to the nearest boundaries the server
    knows: Chromium's segmenter and the server's agree on where each character begins."""
    page = open_page(make_user(Role.EDITOR, "ed"), f"/articles/{ArticleFactory().pk}/")
    widened = page.evaluate(
        """async (texts) => {
            const { wholeGraphemes, toCodePoints } = await import("/static/annotations/offsets.js");
            const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
            return texts.map((text) => {
                const graphemes = segmenter.segment(text);
                const spans = [];
                for (let start = 0; start < text.length; start += 1) {
                    for (let end = start + 1; end <= text.length; end += 1) {
                        const { start: from, end: to } = toCodePoints(
                            text, wholeGraphemes(graphemes, { start, end }));
                        spans.push([start, end, from, to]);
                    }
                }
                return spans;
            });
        }""",
        TEXTS,
    )
    for text, spans in zip(TEXTS, widened, strict=True):
        # The server's boundaries, in UTF-16 units: each selection must widen to the nearest.
        boundaries = [
            index_to_utf16_offset(text, index)
            for index in range(len(text) + 1)
            if cluster_around(text, index) is None
        ]
        for start, end, first, last in spans:
            nearest = (
                max(b for b in boundaries if b <= start),
                min(b for b in boundaries if b >= end),
            )
            got = (index_to_utf16_offset(text, first), index_to_utf16_offset(text, last))
            assert got == nearest, (text, start, end)
