// Offsets between the browser and the server.
//
// The DOM measures text in UTF-16 code units; the server (and the W3C Web Annotation
// TextPositionSelector) in Unicode code points. Everything stored uses code points; the
// conversion happens here and nowhere else.

/** The code-point index of UTF-16 offset `units` in `text`. An offset that falls between the
 *  two halves of a surrogate pair is moved to the end of that character when `roundUp`, to
 *  its start otherwise, so a selection never keeps half a character. */
export function codePointIndex(text, units, roundUp = false) {
  let points = 0;
  let i = 0;
  while (i < units && i < text.length) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
    if (pair && i + 1 === units) {
      return roundUp ? points + 1 : points;
    }
    i += pair ? 2 : 1;
    points += 1;
  }
  return points;
}

/** The UTF-16 offset of code-point index `points` in `text`. */
export function utf16Offset(text, points) {
  let i = 0;
  for (let p = 0; p < points && i < text.length; p += 1) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

/** A converter for many code-point offsets into the same text, in one pass over it. */
export function utf16Offsets(text, pointList) {
  const wanted = [...new Set(pointList)].sort((a, b) => a - b);
  const result = new Map();
  let i = 0;
  let p = 0;
  for (const target of wanted) {
    while (p < target && i < text.length) {
      const code = text.charCodeAt(i);
      i += code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
      p += 1;
    }
    result.set(target, i);
  }
  return result;
}

/** Where a DOM boundary point lies in `container`'s text, in UTF-16 units from its start. */
function boundaryOffset(container, node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The part of `range` that lies inside `container`, as UTF-16 offsets into its text, with
 *  white space trimmed from both ends; null when nothing but white space (or nothing) is left.
 *  A range that starts before the container or ends after it is clipped to it. */
export function rangeOffsets(container, range) {
  const inside = document.createRange();
  inside.selectNodeContents(container);
  if (
    range.compareBoundaryPoints(Range.END_TO_START, inside) >= 0 ||
    range.compareBoundaryPoints(Range.START_TO_END, inside) <= 0
  ) {
    return null; // entirely before or after the text
  }
  const text = container.textContent;
  let start =
    range.compareBoundaryPoints(Range.START_TO_START, inside) <= 0
      ? 0
      : boundaryOffset(container, range.startContainer, range.startOffset);
  let end =
    range.compareBoundaryPoints(Range.END_TO_END, inside) >= 0
      ? text.length
      : boundaryOffset(container, range.endContainer, range.endOffset);
  while (start < end && /\s/.test(text[start])) start += 1;
  while (end > start && /\s/.test(text[end - 1])) end -= 1;
  if (start >= end) return null;
  return { start, end };
}

/** The UTF-16 span {start, end} (not empty) widened to whole user-perceived characters
 *  (grapheme clusters: a flag, an emoji family, a letter and its accents), as `graphemes`,
 *  an Intl.Segmenter's segments of the text, cuts them: a claim never holds part of one, and
 *  the server refuses a span that does. */
export function wholeGraphemes(graphemes, span) {
  const first = graphemes.containing(span.start);
  const last = graphemes.containing(span.end - 1);
  return { start: first.index, end: last.index + last.segment.length };
}

/** Code-point span {start, end, quote} of the UTF-16 span {start, end} of `text`. */
export function toCodePoints(text, span) {
  const start = codePointIndex(text, span.start, false);
  const end = codePointIndex(text, span.end, true);
  const from = utf16Offset(text, start);
  const to = utf16Offset(text, end);
  return { start, end, quote: text.slice(from, to) };
}
