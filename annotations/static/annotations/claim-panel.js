// The side panel: the claims the user may see, in document order, each showing the restated
// claim, its status as text, its verdict, the last decision taken on it and what the user may
// do with it. What the user may do is the server's answer (the can_* flags of the page data);
// nothing here decides it. All user text is set with textContent.

import { t } from "./texts.js";

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
  const link = element("a", "button-link", text);
  link.href = path;
  return link;
}

export function documentOrder(a, b) {
  return a.start - b.start || a.end - b.end || a.id - b.id;
}

/** A badge with the verdict's label on its colour. */
export function verdictBadge(verdict) {
  const badge = element("span", "verdict-badge", verdict.label);
  badge.style.setProperty("--verdict-colour", verdict.colour);
  return badge;
}

// Times in the zone the desk's pages use (the page data's time_zone), named. Formatters are
// costly to make: one per zone.
const formatters = new Map();

function when(iso, zone) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  if (!formatters.has(zone)) {
    const options = {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    };
    try {
      formatters.set(zone, new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone }));
    } catch {
      formatters.set(zone, new Intl.DateTimeFormat(undefined, options)); // a zone unknown here
    }
  }
  return formatters.get(zone).format(moment);
}

function lastDecision(decision, zone) {
  const box = element("div", `last-decision decision-${decision.action}`);
  const head = element("p", "decision-head");
  head.append(element("strong", "", decision.label));
  head.append(document.createTextNode(` ${t("by {actor}", { actor: decision.actor })}`));
  const at = when(decision.at, zone);
  if (at) {
    const time = element("time", "", ` · ${at}`);
    time.dateTime = decision.at;
    head.append(time);
  }
  box.append(head);
  if (decision.comment) box.append(element("blockquote", "decision-comment", decision.comment));
  return box;
}

function item(claim, verdicts, statuses, zone) {
  const node = element("li", `claim-item status-${claim.status}`);
  node.id = `claim-${claim.id}`;
  node.dataset.claim = String(claim.id);

  const head = element("button", "claim-select");
  head.type = "button";
  head.dataset.action = "select";
  head.setAttribute("aria-controls", `claim-details-${claim.id}`);
  const badges = element("span", "claim-badges");
  badges.append(
    element("span", `status-badge status-${claim.status}`, statuses[claim.status] || claim.status),
  );
  const verdict = verdicts.get(claim.verdict);
  if (verdict) badges.append(verdictBadge(verdict));
  head.append(badges);
  head.append(element("span", "claim-text", claim.claim_text));
  if (claim.claim_text !== claim.quote) head.append(element("q", "claim-quote", claim.quote));
  node.append(head);

  const details = element("div", "claim-details");
  details.id = `claim-details-${claim.id}`;
  if (claim.last_decision) details.append(lastDecision(claim.last_decision, zone));
  const facts = element("dl", "claim-facts");
  const fact = (label, value) => {
    if (!value) return;
    facts.append(element("dt", "", label), element("dd", "", value));
  };
  fact(t("Claimant"), claim.claimant);
  fact(t("Rationale"), claim.rationale);
  fact(t("Author"), claim.author);
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
        row.append(safeLink(source.archive_url, t("archived copy")));
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
  if (claim.can_edit) action("edit", t("Edit"));
  if (claim.can_submit) action("submit", t("Send for review"));
  if (claim.can_withdraw) action("withdraw", t("Withdraw"));
  if (claim.can_delete) action("delete", t("Delete"));
  if (claim.can_review) actions.append(pageLink(`/review/${claim.id}/`, t("Review")));
  else if (claim.can_correct) {
    actions.append(pageLink(`/review/${claim.id}/`, t("Reopen or retract")));
  }
  if (claim.status === "approved") {
    actions.append(pageLink(`/claims/${claim.id}/`, t("Public page")));
  }
  const mayAct = actions.children.length > 0;
  action("show", t("Show in text"));
  details.append(actions);
  if (!mayAct) {
    details.append(element("p", "hint read-only", t("Nothing for you to do on this claim.")));
  }
  node.append(details);
  return node;
}

/** Render `claims` into `list`. `context` gives {statuses, verdicts, timeZone}. */
export function renderPanel(list, claims, context) {
  const verdicts = new Map(context.verdicts.map((v) => [v.slug, v]));
  const items = [...claims]
    .sort(documentOrder)
    .map((c) => item(c, verdicts, context.statuses, context.timeZone));
  list.replaceChildren(...items);
}

export function selectItem(list, id) {
  let chosen = null;
  for (const node of list.children) {
    const on = node.dataset.claim === String(id);
    node.classList.toggle("selected", on);
    node.querySelector(".claim-select").setAttribute("aria-expanded", on ? "true" : "false");
    if (on) chosen = node;
  }
  return chosen;
}

/** Show an error beside the actions of a claim. */
export function showPanelError(button, error) {
  const actions = button.closest(".claim-actions");
  let slot = actions.querySelector(".panel-error");
  if (!slot) {
    slot = element("p", "panel-error");
    slot.setAttribute("role", "alert");
    actions.append(slot);
  }
  const details = Object.values(error.fields || {}).flat().join(" ");
  slot.textContent = details ? `${error.message} ${details}` : error.message;
}
