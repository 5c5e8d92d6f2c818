// The card shown beside a highlight while it is hovered or has the focus: for each claim on
// that passage (innermost first), the restated claim, its status in words, its verdict on its
// colour and its author. Escape hides it.

import { innermost } from "./highlights.js";
import { verdictBadge } from "./claim-panel.js";
import { t } from "./texts.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export class HoverCard {
  constructor(card, container, lookup, context) {
    this.card = card;
    this.container = container;
    this.lookup = lookup; // id -> claim
    this.verdicts = new Map(context.verdicts.map((v) => [v.slug, v]));
    this.statuses = context.statuses;
    this.mark = null;
    container.addEventListener("mouseover", (event) => {
      const mark = event.target.closest("mark.claim-mark");
      if (mark) this.show(mark);
    });
    container.addEventListener("mouseout", (event) => {
      const mark = event.target.closest("mark.claim-mark");
      if (mark && !mark.contains(event.relatedTarget) && document.activeElement !== mark) {
        this.hide();
      }
    });
    container.addEventListener("focusin", (event) => {
      const mark = event.target.closest("mark.claim-mark");
      if (mark) this.show(mark);
      else this.hide();
    });
    container.addEventListener("focusout", () => this.hide());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !this.card.hidden) this.hide();
    });
  }

  claimsOf(mark) {
    const claims = mark.dataset.claims
      .split(" ")
      .map((id) => this.lookup(Number(id)))
      .filter(Boolean);
    if (!claims.length) return [];
    const first = innermost(claims);
    return [first, ...claims.filter((c) => c !== first).reverse()];
  }

  show(mark) {
    const claims = this.claimsOf(mark);
    if (!claims.length) return;
    this.mark = mark;
    const entries = claims.map((claim) => {
      const entry = element("div", `card-claim status-${claim.status}`);
      const badges = element("p", "claim-badges");
      badges.append(
        element("span", `status-badge status-${claim.status}`, this.statuses[claim.status]),
      );
      const verdict = this.verdicts.get(claim.verdict);
      badges.append(verdict ? verdictBadge(verdict) : element("span", "hint", t("No verdict yet")));
      entry.append(badges);
      entry.append(element("p", "card-text", claim.claim_text));
      entry.append(element("p", "card-author", t("By {author}", { author: claim.author })));
      return entry;
    });
    if (claims.length > 1) {
      entries.unshift(
        element("p", "card-count", t("{count} claims on this passage", { count: claims.length })),
      );
    }
    this.card.replaceChildren(...entries);
    this.card.hidden = false;
    this.place(mark);
  }

  place(mark) {
    // Below the passage's first line, kept inside the viewport's width.
    const box = mark.getClientRects()[0] || mark.getBoundingClientRect();
    const width = this.card.offsetWidth;
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    this.card.style.setProperty("left", `${left + window.scrollX}px`);
    this.card.style.setProperty("top", `${box.bottom + window.scrollY + 6}px`);
  }

  hide() {
    this.card.hidden = true;
    this.mark = null;
  }
}
