// Highlights in the article text. Claims may overlap or nest, so the text is cut at every
// claim boundary into segments; each segment covered by claims becomes one <mark> that knows
// all the claims covering it and shows (and, when clicked, selects) the innermost one.

import { codePointIndex, utf16Offsets } from "./offsets.js";

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
  const result = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    const covering = claims.filter((c) => c.start <= start && c.end >= end);
    result.push({ start, end, claims: covering });
  }
  return result;
}

/** Replace the content of `container` by `body`, with `claims` highlighted. Only text nodes
 *  and <mark> elements are created, so the container's text stays exactly `body`. */
export function renderHighlights(container, body, claims) {
  const parts = segments(codePointIndex(body, body.length), claims);
  const units = utf16Offsets(
    body,
    parts.flatMap((part) => [part.start, part.end]),
  );
  const nodes = parts.map((part) => {
    const text = document.createTextNode(body.slice(units.get(part.start), units.get(part.end)));
    if (part.claims.length === 0) return text;
    const mark = document.createElement("mark");
    const shown = innermost(part.claims);
    mark.className = `claim-mark status-${shown.status}`;
    if (part.claims.length > 1) mark.classList.add("overlap");
    mark.dataset.claim = String(shown.id);
    mark.dataset.claims = part.claims.map((c) => c.id).join(" ");
    mark.appendChild(text);
    return mark;
  });
  container.replaceChildren(...nodes);
}

/** Mark the segments of claim `id` as selected (and no others); return the first of them. */
export function selectHighlight(container, id) {
  let first = null;
  for (const mark of container.querySelectorAll("mark.claim-mark")) {
    const covers = mark.dataset.claims.split(" ").includes(String(id));
    mark.classList.toggle("selected", covers);
    if (covers && first === null) first = mark;
  }
  return first;
}
