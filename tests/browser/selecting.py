"""Selecting article text the way a person does: with the mouse, or from the keyboard."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.utf16 import index_to_utf16_offset

# The box of the character at a UTF-16 offset of #article-text's text (both halves of a
# surrogate pair form one character).
_CHAR_BOX = """
([offset]) => {
  const container = document.getElementById("article-text");
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (offset < seen + node.data.length) {
      const at = offset - seen;
      const code = node.data.charCodeAt(at);
      const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + width);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const box = rects[0] || range.getBoundingClientRect();
      return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
    }
    seen += node.data.length;
  }
  throw new Error(`offset ${offset} is past the text`);
}
"""


def char_box(page: Page, body: str, index: int) -> dict[str, float]:
    """The on-screen box of body[index] (a code-point index)."""
    box: dict[str, float] = page.evaluate(_CHAR_BOX, [index_to_utf16_offset(body, index)])
    return box


def select_with_mouse(page: Page, body: str, start: int, end: int) -> None:
    """Drag from the left edge of body[start] to the right edge of body[end - 1]."""
    page.locator("#article-text").scroll_into_view_if_needed()
    first = char_box(page, body, start)
    last = char_box(page, body, end - 1)
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()


def select_phrase_with_mouse(page: Page, body: str, phrase: str) -> tuple[int, int]:
    """Select the first occurrence of `phrase`; return its code-point span."""
    start = body.index(phrase)
    select_with_mouse(page, body, start, start + len(phrase))
    return start, start + len(phrase)


def selected_text(page: Page) -> str:
    text: str = page.evaluate("() => document.getSelection().toString()")
    return text
