// The side panel: the claims the user may see, in document order, each with what the user
// may do with it. All user text is set with textContent.

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function safeLink(url, text) {
  // Only http(s) becomes a link; anything else (javascript:, data:) stays plain text.
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || !["http:", "https:"].includes(parsed.protocol)) return element("span", "", text);
  const link = element("a", "", text);
  link.href = parsed.href;
  link.rel = "noopener noreferrer";
  link.target = "_blank";
  return link;
}

function pageLink(path, text) {
  const link = element("a", "", text);
  link.href = path;
  return link;
}

export function documentOrder(a, b) {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

/** Render `claims` into `list`. `context` gives {statuses, verdicts, sourceKinds}. */
export function renderPanel(list, claims, context) {
  const verdicts = new Map(context.verdicts.map((v) => [v.slug, v]));
  const items = [...claims].sort(documentOrder).map((claim) => {
    const item = element("li", `claim-item status-${claim.status}`);
    item.id = `claim-${claim.id}`;
    item.dataset.claim = String(claim.id);

    const head = element("button", "claim-select");
    head.type = "button";
    head.dataset.action = "select";
    head.setAttribute("aria-controls", item.id);
    head.append(element("span", `status-badge status-${claim.status}`, context.statuses[claim.status] || claim.status));
    const verdict = verdicts.get(claim.verdict);
    if (verdict) {
      const badge = element("span", "verdict-badge", verdict.label);
      badge.style.setProperty("--verdict-colour", verdict.colour);
      head.append(badge);
    }
    head.append(element("span", "claim-quote", claim.quote));
    item.append(head);

    const details = element("div", "claim-details");
    if (claim.claim_text !== claim.quote) details.append(element("p", "claim-text", claim.claim_text));
    const facts = element("dl", "claim-facts");
    const fact = (label, value) => {
      if (!value) return;
      facts.append(element("dt", "", label), element("dd", "", value));
    };
    fact("Claimant", claim.claimant);
    fact("Rationale", claim.rationale);
    fact("Author", claim.author);
    details.append(facts);
    if (claim.sources.length) {
      const sources = element("ul", "claim-sources");
      for (const source of claim.sources) {
        const row = element("li", "");
        row.append(safeLink(source.url, source.title || source.url));
        if (source.publisher) row.append(element("span", "publisher", ` · ${source.publisher}`));
        if (source.published_on) row.append(element("span", "published", ` · ${source.published_on}`));
        if (source.archive_url) {
          row.append(element("span", "", " · "));
          row.append(safeLink(source.archive_url, "archived copy"));
        }
        if (source.passage) row.append(element("q", "passage", source.passage));
        sources.append(row);
      }
      details.append(sources);
    }
    const actions = element("div", "claim-actions");
    const action = (name, label) => {
      const button = element("button", "", label);
      button.type = "button";
      button.dataset.action = name;
      actions.append(button);
    };
    if (claim.can_edit) action("edit", "Edit");
    if (claim.can_submit) action("submit", "Send for review");
    if (claim.can_delete) action("delete", "Delete");
    if (claim.can_review) actions.append(pageLink(`/review/${claim.id}/`, "Review"));
    if (claim.status === "approved") actions.append(pageLink(`/claims/${claim.id}/`, "Public page"));
    if (actions.children.length) details.append(actions);
    if (!claim.can_edit) details.append(element("p", "hint read-only", "Read-only for you."));
    item.append(details);
    return item;
  });
  list.replaceChildren(...items);
}

export function selectItem(list, id) {
  let chosen = null;
  for (const item of list.children) {
    const on = item.dataset.claim === String(id);
    item.classList.toggle("selected", on);
    item.querySelector(".claim-select").setAttribute("aria-expanded", on ? "true" : "false");
    if (on) chosen = item;
  }
  return chosen;
}
