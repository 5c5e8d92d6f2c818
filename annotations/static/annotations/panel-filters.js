// The panel's filters: status, verdict and author (choices from the claims on the page) and a
// search over the claim's words, offered once there are enough claims to need them. The filter keeps its state across re-renders of the panel;
// onChange(shown) is told the ids of the claims left visible (null when nothing filters).

import { t } from "./texts.js";

const NO_VERDICT = "-";
// Below this many claims the whole list is shorter than the filters.
const FILTER_FROM = 4;

function option(value, label) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = label;
  return node;
}

function fill(select, choices, allLabel) {
  const current = select.value;
  select.replaceChildren(option("", allLabel), ...choices.map(([v, l]) => option(v, l)));
  // A choice that no claim has any longer falls back to "all".
  select.value = choices.some(([v]) => v === current) ? current : "";
}

function words(claim) {
  return [claim.claim_text, claim.quote, claim.claimant, claim.rationale, claim.author]
    .concat(claim.last_decision ? [claim.last_decision.comment] : [])
    .join(" \n ")
    .toLocaleLowerCase();
}

export class PanelFilter {
  /** `root` is the filter's form (#claim-filters); `list` the panel's list of claims. */
  constructor(root, list, context, onChange) {
    this.root = root;
    this.list = list;
    this.context = context;
    this.onChange = onChange;
    this.status = root.querySelector("#filter-status");
    this.verdict = root.querySelector("#filter-verdict");
    this.author = root.querySelector("#filter-author");
    this.search = root.querySelector("#filter-search");
    this.summary = root.querySelector("#filter-summary");
    this.clear = root.querySelector("#filter-clear");
    this.claims = [];
    root.addEventListener("submit", (event) => event.preventDefault());
    root.addEventListener("input", () => this.apply());
    root.addEventListener("change", () => this.apply());
    this.clear.addEventListener("click", () => {
      root.reset();
      this.apply();
      this.search.focus();
    });
  }

  /** Offer the choices the claims have, then filter the freshly rendered list. */
  update(claims) {
    this.claims = claims;
    const statuses = Object.entries(this.context.statuses).filter(([s]) =>
      claims.some((c) => c.status === s),
    );
    fill(this.status, statuses, t("All statuses"));
    const verdicts = this.context.verdicts
      .filter((v) => claims.some((c) => c.verdict === v.slug))
      .map((v) => [v.slug, v.label]);
    if (claims.some((c) => !c.verdict)) verdicts.push([NO_VERDICT, t("Not decided yet")]);
    fill(this.verdict, verdicts, t("All verdicts"));
    const authors = [...new Set(claims.map((c) => c.author))].sort().map((a) => [a, a]);
    fill(this.author, authors, t("All authors"));
    if (claims.length < FILTER_FROM && !this.active()) {
      this.root.hidden = true;
    } else {
      this.root.hidden = false;
    }
    this.apply();
  }

  matches(claim) {
    const status = this.status.value;
    const verdict = this.verdict.value;
    const author = this.author.value;
    const terms = this.search.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (status && claim.status !== status) return false;
    if (verdict === NO_VERDICT ? claim.verdict : verdict && claim.verdict !== verdict) return false;
    if (author && claim.author !== author) return false;
    if (terms.length) {
      const text = words(claim);
      if (!terms.every((term) => text.includes(term))) return false;
    }
    return true;
  }

  active() {
    return Boolean(
      this.status.value || this.verdict.value || this.author.value || this.search.value.trim(),
    );
  }

  apply() {
    const active = this.active();
    const shown = new Set(this.claims.filter((c) => !active || this.matches(c)).map((c) => c.id));
    for (const node of this.list.children) node.hidden = !shown.has(Number(node.dataset.claim));
    this.summary.textContent = active
      ? t("Showing {shown} of {total} claims.", { shown: shown.size, total: this.claims.length })
      : t("{total} claims.", { total: this.claims.length });
    this.clear.hidden = !active;
    this.onChange(active ? shown : null);
  }
}
