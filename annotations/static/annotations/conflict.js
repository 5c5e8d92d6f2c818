// The edit conflict: the claim was saved by someone else (or in another tab) since the form
// was opened. Their saved version is shown beside what the user typed, which stays in the
// form; the user then keeps theirs or takes the saved one, knowingly.

import { t } from "./texts.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function sourcesText(sources) {
  return sources
    .map((s) => [s.title, s.url, s.publisher].filter(Boolean).join(" · "))
    .filter(Boolean)
    .join("\n");
}

/** The fields a person compares, as [label, text of theirs, text of mine]. */
function rows(theirs, mine, verdictLabels) {
  const verdict = (slug) => (slug ? verdictLabels.get(slug) || slug : t("(not decided yet)"));
  return [
    [t("Claim"), theirs.claim_text, mine.claim_text],
    [t("Claimant"), theirs.claimant, mine.claimant],
    [t("Verdict"), verdict(theirs.verdict), verdict(mine.verdict)],
    [t("Rationale"), theirs.rationale, mine.rationale],
    [t("Sources"), sourcesText(theirs.sources), sourcesText(mine.sources)],
  ];
}

/** Fill `section` (#conflict) with the two versions and show it. */
export function showConflict(section, theirs, mine, verdicts) {
  const verdictLabels = new Map(verdicts.map((v) => [v.slug, v.label]));
  const table = section.querySelector("#conflict-fields");
  const items = rows(theirs, mine, verdictLabels).map(([label, their, my]) => {
    const same = (their || "") === (my || "");
    const row = element("div", same ? "conflict-row same" : "conflict-row changed");
    row.append(element("h4", "", same ? t("{label} (the same in both)", { label }) : label));
    const pair = element("div", "conflict-pair");
    const side = (who, text) => {
      const cell = element("div", "conflict-side");
      cell.append(element("span", "conflict-who", who));
      cell.append(element("p", "conflict-value", text || t("(empty)")));
      return cell;
    };
    pair.append(side(t("Saved version"), their), side(t("Yours, not saved"), my));
    row.append(pair);
    return row;
  });
  table.replaceChildren(...items);
  const status = theirs.status_label || theirs.status;
  section.querySelector("#conflict-saved").textContent = t(
    "The saved version is version {version} ({status}), saved since you opened the form.",
    { version: theirs.version, status: status.toLowerCase() },
  );
  section.hidden = false;
  section.focus();
}

export function hideConflict(section) {
  section.hidden = true;
  section.querySelector("#conflict-fields").replaceChildren();
}
