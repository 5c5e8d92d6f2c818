// The edit conflict: the claim was saved by someone else (or in another tab) since the form
// was opened. Their saved version is shown beside what the user typed, which stays in the
// form; the user then keeps theirs or takes the saved one, knowingly.

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
  const verdict = (slug) => (slug ? verdictLabels.get(slug) || slug : "(not decided yet)");
  return [
    ["Claim", theirs.claim_text, mine.claim_text],
    ["Claimant", theirs.claimant, mine.claimant],
    ["Verdict", verdict(theirs.verdict), verdict(mine.verdict)],
    ["Rationale", theirs.rationale, mine.rationale],
    ["Sources", sourcesText(theirs.sources), sourcesText(mine.sources)],
  ];
}

/** Fill `section` (#conflict) with the two versions and show it. */
export function showConflict(section, theirs, mine, verdicts) {
  const verdictLabels = new Map(verdicts.map((v) => [v.slug, v.label]));
  const table = section.querySelector("#conflict-fields");
  const items = rows(theirs, mine, verdictLabels).map(([label, their, my]) => {
    const same = (their || "") === (my || "");
    const row = element("div", same ? "conflict-row same" : "conflict-row changed");
    row.append(element("h4", "", same ? `${label} (the same in both)` : label));
    const pair = element("div", "conflict-pair");
    const side = (who, text) => {
      const cell = element("div", "conflict-side");
      cell.append(element("span", "conflict-who", who));
      cell.append(element("p", "conflict-value", text || "(empty)"));
      return cell;
    };
    pair.append(side("Saved version", their), side("Yours, not saved", my));
    row.append(pair);
    return row;
  });
  table.replaceChildren(...items);
  const status = theirs.status_label || theirs.status;
  section.querySelector("#conflict-saved").textContent =
    `The saved version is version ${theirs.version} (${status.toLowerCase()}), saved since you opened the form.`;
  section.hidden = false;
  section.focus();
}

export function hideConflict(section) {
  section.hidden = true;
  section.querySelector("#conflict-fields").replaceChildren();
}
