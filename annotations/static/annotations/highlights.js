// Highlights in the article text. Claims may overlap or nest, so the text is cut at every
// claim boundary into segments; each segment covered by claims becomes one <mark> that knows
// all the claims covering it. Every claim keeps one lane (a row of underlines below the
// text) over its whole extent, so overlapping claims each show where they begin and end, and
// each lane's line is drawn in its status's colour and pattern (status is never colour
// alone). A line stops short of its claim's ends, so two claims side by side stay two.
//
// The first segment of each claim can take the focus (Tab reaches claims in text order); it
// is described by the claims that start there (#claim-descriptions).

import { codePointIndex, utf16Offset, utf16Offsets } from "./offsets.js";
import { t } from "./texts.js";

// Lanes drawn below the text; claims nested deeper share the last one.
export const MAX_LANES = 4;
const LANE_PX = 4;
const LINE_PX = 3;
const END_GAP_PX = 3;

/** The innermost of `claims`: the shortest span, then the one that starts last. */
export function innermost(claims) {
  return claims.reduce((best, claim) => {
    const length = claim.end - claim.start;
    const bestLength = best.end - best.start;
    if (length < bestLength || (length === bestLength && claim.start > best.start)) return claim;
    if (length === bestLength && claim.start === best.start && claim.id > best.id) return claim;
    return best;
  });
}

/** Cut [0, length) (code points) at every claim boundary: [{start, end, claims}]. */
export function segments(length, claims) {
  const cuts = new Set([0, length]);
  for (const claim of claims) {
    cuts.add(Math.max(0, Math.min(length, claim.start)));
    cuts.add(Math.max(0, Math.min(length, claim.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  // A sweep over the sorted cuts: claims enter at their start and leave after their end.
  const byStart = [...claims].sort((a, b) => a.start - b.start);
  const open = new Set();
  let next = 0;
  const result = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    while (next < byStart.length && byStart[next].start <= start) open.add(byStart[next++]);
    for (const claim of open) if (claim.end <= start) open.delete(claim);
    const covering = [...open].filter((c) => c.end >= end);
    result.push({ start, end, claims: covering });
  }
  return result;
}

/** A lane for every claim (Map id -> lane): the lowest lane free where the claim starts, longer
 *  claims first, so an outer claim sits above the claims nested in it. */
export function lanes(claims) {
  const ordered = [...claims].sort((a, b) => a.start - b.start || b.end - a.end || a.id - b.id);
  const laneEnds = [];
  const result = new Map();
  for (const claim of ordered) {
    let lane = laneEnds.findIndex((end) => end <= claim.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = claim.end;
    result.set(claim.id, Math.min(lane, MAX_LANES - 1));
  }
  return result;
}

/** The CSS image of a status's line: solid, dashed, dotted, double... as a background layer. */
export function linePattern(status) {
  const colour = `var(--line-${status}, #555)`;
  switch (status) {
    case "draft":
      return `repeating-linear-gradient(90deg, ${colour} 0 6px, transparent 6px 9px)`;
    case "submitted":
      return `repeating-linear-gradient(90deg, ${colour} 0 3px, transparent 3px 5px)`;
    case "changes_requested":
      return `repeating-linear-gradient(90deg, ${colour} 0 8px, transparent 8px 10px, ${colour} 10px 12px, transparent 12px 14px)`;
    case "rejected":
      return `linear-gradient(${colour} 0 1px, transparent 1px 2px, ${colour} 2px 3px)`;
    case "retracted":
      return `repeating-linear-gradient(135deg, ${colour} 0 2px, transparent 2px 4px)`;
    default:
      return `linear-gradient(${colour}, ${colour})`;
  }
}

/** The visible text that names a claim for assistive technology. */
export function describe(claim) {
  const parts = [
    t("Claim: {text}", { text: claim.claim_text }),
    t("Status: {status}", { status: claim.status_label || claim.status }),
    t("Verdict: {verdict}", { verdict: claim.verdict_label || t("not decided") }),
  ];
  if (claim.author) parts.push(t("By {author}", { author: claim.author }));
  // Each part a sentence, without doubling a claim's own full stop.
  return parts.map((part) => (/[.!?…]$/.test(part) ? part : `${part}.`)).join(" ");
}

function drawLines(mark, part, laneOf) {
  const images = [];
  const positions = [];
  const sizes = [];
  for (const claim of part.claims) {
    const left = claim.start === part.start ? END_GAP_PX : 0;
    const right = claim.end === part.end ? END_GAP_PX : 0;
    images.push(linePattern(claim.status));
    positions.push(`${left}px calc(100% - ${laneOf.get(claim.id) * LANE_PX}px)`);
    sizes.push(`calc(100% - ${left + right}px) ${LINE_PX}px`);
  }
  mark.style.setProperty("background-image", images.join(", "));
  mark.style.setProperty("background-position", positions.join(", "));
  mark.style.setProperty("background-size", sizes.join(", "));
}

/** Replace the content of `container` by `body`, with `claims` highlighted, and the hidden
 *  `descriptions` element by one description per claim. Only text nodes and <mark> elements
 *  are put in the container, so its text stays exactly `body`. */
export function renderHighlights(container, body, claims, descriptions) {
  const parts = segments(codePointIndex(body, body.length), claims);
  const units = utf16Offsets(
    body,
    parts.flatMap((part) => [part.start, part.end]),
  );
  const laneOf = lanes(claims);
  const deepest = Math.max(-1, ...laneOf.values()) + 1;
  container.style.setProperty("--lanes", String(deepest));
  const nodes = parts.map((part) => {
    const text = document.createTextNode(body.slice(units.get(part.start), units.get(part.end)));
    if (part.claims.length === 0) return text;
    const mark = document.createElement("mark");
    const shown = innermost(part.claims);
    mark.className = `claim-mark status-${shown.status}`;
    if (part.claims.length > 1) mark.classList.add("overlap");
    mark.dataset.claim = String(shown.id);
    mark.dataset.claims = part.claims.map((c) => c.id).join(" ");
    const starting = part.claims.filter((c) => c.start === part.start);
    if (starting.length) {
      // One stop per place where claims begin, in text order; Enter opens the innermost.
      mark.tabIndex = 0;
      mark.classList.add("claim-start");
      mark.setAttribute("role", "button");
      mark.dataset.claim = String(innermost(starting).id);
      mark.dataset.starts = starting.map((c) => c.id).join(" ");
      mark.setAttribute(
        "aria-describedby",
        starting.map((c) => `claim-description-${c.id}`).join(" "),
      );
    }
    drawLines(mark, part, laneOf);
    mark.appendChild(text);
    return mark;
  });
  container.replaceChildren(...nodes);
  if (descriptions) {
    descriptions.replaceChildren(
      ...claims.map((claim) => {
        const span = document.createElement("span");
        span.id = `claim-description-${claim.id}`;
        span.textContent = describe(claim);
        return span;
      }),
    );
  }
}

/** Mark the segments of claim `id` as selected (and no others); return its focusable start. */
export function selectHighlight(container, id) {
  let first = null;
  for (const mark of container.querySelectorAll("mark.claim-mark")) {
    const covers = mark.dataset.claims.split(" ").includes(String(id));
    mark.classList.toggle("selected", covers);
    if (covers && first === null) first = mark;
  }
  return first;
}

/** The focusable start of claim `id`'s highlight (null when it is not shown). */
export function startOf(container, id) {
  for (const mark of container.querySelectorAll("mark.claim-start")) {
    if (mark.dataset.starts.split(" ").includes(String(id))) return mark;
  }
  return null;
}

/** Dim the highlights of claims outside `shown` (a Set of ids), or none when it is null. */
export function dimHighlights(container, shown) {
  for (const mark of container.querySelectorAll("mark.claim-mark")) {
    const visible = !shown || mark.dataset.claims.split(" ").some((id) => shown.has(Number(id)));
    mark.classList.toggle("dimmed", !visible);
  }
}

/** A DOM range over the code points [start, end) of `container`'s text (`body`). */
export function textRange(container, body, start, end) {
  const from = utf16Offset(body, start);
  const to = utf16Offset(body, end);
  const range = document.createRange();
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.data.length;
    if (!started && from <= seen + length) {
      range.setStart(node, from - seen);
      started = true;
    }
    if (started && to <= seen + length) {
      range.setEnd(node, to - seen);
      return range;
    }
    seen += length;
  }
  return started ? range : null;
}

/** Keep the passage [start, end) marked as the claim being written (null: no passage). Drawn
 *  with the CSS Custom Highlight API, so the text's DOM is not touched. */
export function showPending(container, body, span) {
  if (!(window.CSS && CSS.highlights && window.Highlight)) return;
  CSS.highlights.delete("pending-claim");
  if (!span) return;
  const range = textRange(container, body, span.start, span.end);
  if (range) CSS.highlights.set("pending-claim", new Highlight(range));
}
