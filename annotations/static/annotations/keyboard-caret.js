// Selecting article text from the keyboard. Browsers only move a caret through editable
// text (unless the reader turned on caret browsing), so while the article text has focus the
// arrow keys move a caret of ours and Shift+arrows extend the selection from it:
//   Left/Right: a character (with Ctrl or Alt: a word); Up/Down: a line (with Ctrl or Alt:
//   a paragraph); Home/End: the start or end of the line.
// The caret is drawn with the CSS Custom Highlight API, so the text's DOM is never touched.

const MOVES = {
  ArrowLeft: ["backward", "character", "word"],
  ArrowRight: ["forward", "character", "word"],
  ArrowUp: ["backward", "line", "paragraph"],
  ArrowDown: ["forward", "line", "paragraph"],
  Home: ["backward", "lineboundary", "lineboundary"],
  End: ["forward", "lineboundary", "lineboundary"],
};

function selectionInside(container, selection) {
  return (
    selection.rangeCount > 0 &&
    container.contains(selection.anchorNode) &&
    container.contains(selection.focusNode)
  );
}

function showCaret(container, selection) {
  if (!(window.CSS && CSS.highlights && window.Highlight)) return;
  CSS.highlights.delete("article-caret");
  if (!selection.isCollapsed || !selectionInside(container, selection)) return;
  const node = selection.focusNode;
  if (node.nodeType !== Node.TEXT_NODE || selection.focusOffset >= node.data.length) return;
  const range = document.createRange();
  range.setStart(node, selection.focusOffset);
  range.setEnd(node, selection.focusOffset + 1);
  CSS.highlights.set("article-caret", new Highlight(range));
}

export function enableKeyboardSelection(container) {
  container.addEventListener("keydown", (event) => {
    const move = MOVES[event.key];
    if (!move || event.metaKey) return;
    const selection = document.getSelection();
    if (!selectionInside(container, selection)) {
      // Start from the top of the text the first time.
      selection.collapse(container, 0);
    }
    const [direction, unit, bigUnit] = move;
    const granularity = event.ctrlKey || event.altKey ? bigUnit : unit;
    selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
    event.preventDefault();
    showCaret(container, selection);
  });
  // The caret is shown only while the keyboard moves it.
  const hideCaret = () => {
    if (window.CSS && CSS.highlights) CSS.highlights.delete("article-caret");
  };
  container.addEventListener("blur", hideCaret);
  container.addEventListener("mousedown", hideCaret);
}
