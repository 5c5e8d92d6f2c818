// The claimant field of the claim form: suggests the desk's claimants as the editor types
// (a <datalist> filled from GET /api/claimants/?search=), and for a name no claimant has,
// asks whether the new claimant is a person or an organisation. The claim is saved with the
// name (and that kind); the server picks the claimant of that name or adds it.

import { request } from "./api.js";
import { t } from "./texts.js";

const WAIT_MS = 200;

/** A name as the server compares names: case folded, runs of white space made one. */
function nameKey(name) {
  return name.trim().split(/\s+/).join(" ").toLocaleLowerCase();
}

function kindLabel(kind) {
  return kind === "Organization" ? t("organisation") : t("person");
}

export function enableClaimantPicker(form) {
  const input = form.querySelector("#claim-claimant");
  const options = form.querySelector("#claimant-options");
  const hint = form.querySelector("#claimant-hint");
  const kindRow = form.querySelector("#claimant-kind-row");
  const kind = form.querySelector("#claim-claimant-kind");
  if (!input || !options || !hint || !kindRow || !kind) return;
  const known = new Map(); // name key -> claimant, from the answers so far
  const answered = new Set(); // name keys the server was asked about
  let timer = null;
  let asked = "";

  function show() {
    const key = nameKey(input.value);
    const claimant = known.get(key);
    if (!key) {
      hint.textContent = "";
      kindRow.hidden = true;
      kind.value = "";
    } else if (claimant) {
      hint.textContent = t("Known claimant ({kind}).", { kind: kindLabel(claimant.kind) });
      kindRow.hidden = true;
      kind.value = "";
    } else if (answered.has(key)) {
      hint.textContent = t("New claimant: it is added when the claim is saved.");
      kindRow.hidden = false;
      if (!kind.value) kind.value = "Person";
    }
    // Otherwise the server has not answered for this name yet: nothing is said, so a name
    // filled in by the form is never called new (nor given a kind) before it is looked up.
  }

  async function suggest() {
    const typed = input.value.trim();
    if (!typed || typed === asked) return show();
    asked = typed;
    const url = `/api/claimants/?search=${encodeURIComponent(typed)}&page_size=10`;
    const answer = await request("GET", url);
    if (!answer.ok || input.value.trim() !== typed) return show();
    const found = answer.data.results;
    options.replaceChildren(
      ...found.map((claimant) => {
        const option = document.createElement("option");
        option.value = claimant.name;
        option.label = `${claimant.name} (${kindLabel(claimant.kind)})`;
        return option;
      }),
    );
    for (const claimant of found) known.set(nameKey(claimant.name), claimant);
    answered.add(nameKey(typed));
    show();
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    show();
    timer = setTimeout(suggest, WAIT_MS);
  });
  // A name picked from the list arrives as one change, without waiting.
  input.addEventListener("change", () => {
    clearTimeout(timer);
    suggest();
  });
  // The form put a claim's (or a kept draft's) claimant in the field: look it up afresh.
  input.addEventListener("claimant-filled", () => {
    clearTimeout(timer);
    asked = "";
    hint.textContent = "";
    kindRow.hidden = !kind.value;
    suggest();
  });
  // The form is reset each time it opens: nothing of the previous claim stays.
  form.addEventListener("reset", () => {
    clearTimeout(timer);
    asked = "";
    setTimeout(show);
  });
}

const claimForm = document.getElementById("claim-form");
if (claimForm) enableClaimantPicker(claimForm);
