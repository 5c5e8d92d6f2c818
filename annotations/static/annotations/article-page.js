// The annotation page: highlights, the side panel, and selecting text to record a claim.
// Initial data comes from the #page-data JSON block; writes go through the REST API.

import { claims as api } from "./api.js";
import { ClaimForm } from "./claim-form.js";
import { renderPanel, selectItem } from "./claim-panel.js";
import { renderHighlights, selectHighlight } from "./highlights.js";
import { enableKeyboardSelection } from "./keyboard-caret.js";
import { rangeOffsets, toCodePoints, wholeGraphemes } from "./offsets.js";

const data = JSON.parse(document.getElementById("page-data").textContent);
const body = data.article.body;
const container = document.getElementById("article-text");
const list = document.getElementById("claim-list");
const formElement = document.getElementById("claim-form");
const form = formElement ? new ClaimForm(formElement) : null;
const newClaimButton = document.getElementById("new-claim");
const selectionStatus = document.getElementById("selection-status");
const editable = new Set(data.editable_statuses);
const deletable = new Set(data.deletable_statuses);
const context = { statuses: data.statuses, verdicts: data.verdicts };
// Segmented once; a selection (mouse, touch or keyboard) is widened to whole characters.
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(body);

let claims = data.claims;
let selectedId = null;
let pendingSpan = null; // the current text selection, in code points

function render() {
  renderHighlights(container, body, claims);
  renderPanel(list, claims, context);
  document.getElementById("claim-count").textContent = `(${claims.length})`;
  document.getElementById("no-claims").hidden = claims.length > 0;
  if (selectedId !== null) select(selectedId, false);
}

function select(id, scroll) {
  selectedId = id;
  const mark = selectHighlight(container, id);
  const item = selectItem(list, id);
  if (!scroll) return;
  if (scroll === "item" && item) item.scrollIntoView({ block: "nearest" });
  if (scroll === "mark" && mark) mark.scrollIntoView({ block: "center" });
}

/** A claim as returned by one of this user's own successful writes: they are its author. */
function ownClaim(claim) {
  const verdict = data.verdicts.find((v) => v.slug === claim.verdict);
  return {
    ...claim,
    verdict_label: verdict ? verdict.label : "",
    can_edit: editable.has(claim.status),
    // The server's rule (permissions.can_delete_claim): a draft that never left its author.
    can_delete: deletable.has(claim.status) && !claim.submitted_at,
    can_submit: editable.has(claim.status),
  };
}

function replaceClaim(claim) {
  claims = claims.filter((c) => c.id !== claim.id).concat([ownClaim(claim)]);
  selectedId = claim.id;
  render();
}

// --- Selecting text -----------------------------------------------------------------------

function currentSpan() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const units = rangeOffsets(container, selection.getRangeAt(0));
  return units ? toCodePoints(body, wholeGraphemes(graphemes, units)) : null;
}

function onSelectionChange() {
  if (!newClaimButton) return;
  pendingSpan = currentSpan();
  newClaimButton.disabled = pendingSpan === null;
  selectionStatus.textContent = pendingSpan
    ? `Selected ${pendingSpan.end - pendingSpan.start} characters. Press “New claim” to record a claim.`
    : "Select a passage of the text to record a claim.";
}

document.addEventListener("selectionchange", onSelectionChange);

if (newClaimButton) {
  // Keep the text selection when the button is pressed with the mouse.
  newClaimButton.addEventListener("mousedown", (event) => event.preventDefault());
  newClaimButton.addEventListener("click", () => {
    // selectionchange arrives as a task of its own, so read the selection as it is now.
    const span = currentSpan() || pendingSpan;
    if (span) form.openForNew(span);
  });
  enableKeyboardSelection(container);
  container.addEventListener("keydown", (event) => {
    // Enter records a claim on a selection made from the keyboard.
    const span = event.key === "Enter" ? currentSpan() : null;
    if (span) {
      event.preventDefault();
      form.openForNew(span);
    }
  });
}

// --- Highlights and the panel ---------------------------------------------------------------

container.addEventListener("click", (event) => {
  const mark = event.target.closest("mark.claim-mark");
  if (!mark) return;
  const selection = document.getSelection();
  if (selection && !selection.isCollapsed) return; // the end of a drag, not a click
  select(Number(mark.dataset.claim), "item");
});

list.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const id = Number(button.closest(".claim-item").dataset.claim);
  const claim = claims.find((c) => c.id === id);
  if (!claim) return;
  if (button.dataset.action === "select") {
    select(id, "mark");
  } else if (button.dataset.action === "edit") {
    select(id, false);
    form.openForEdit(claim);
  } else if (button.dataset.action === "delete") {
    if (!window.confirm("Delete this draft claim?")) return;
    const answer = await api.remove(id, claim.version);
    if (answer.ok) {
      claims = claims.filter((c) => c.id !== id);
      if (form.target && form.target.claim && form.target.claim.id === id) form.close();
      selectedId = null;
      render();
    } else {
      showPanelError(button, answer.data.error);
    }
  } else if (button.dataset.action === "submit") {
    if (claim.published_at) {
      // A correction goes with its note, which only the form can take.
      select(id, false);
      form.openForEdit(claim);
      form.field("comment").focus();
      return;
    }
    const answer = await api.submit(id, claim.version);
    if (answer.ok) replaceClaim(answer.data);
    else showPanelError(button, answer.data.error);
  }
});

function showPanelError(button, error) {
  const actions = button.closest(".claim-actions");
  let slot = actions.querySelector(".panel-error");
  if (!slot) {
    slot = document.createElement("p");
    slot.className = "panel-error";
    slot.setAttribute("role", "alert");
    actions.append(slot);
  }
  const details = Object.values(error.fields || {}).flat().join(" ");
  slot.textContent = details ? `${error.message} ${details}` : error.message;
}

// --- The form ------------------------------------------------------------------------------

async function save(submitAfter) {
  if (submitAfter && !form.readyToSubmit()) return;
  const values = form.values();
  const target = form.target;
  let answer;
  if (target.span) {
    answer = await api.create({
      article: data.article.id,
      start: target.span.start,
      end: target.span.end,
      quote: target.span.quote,
      ...values,
      submit: submitAfter,
    });
  } else {
    answer = await api.update(target.claim.id, { version: target.claim.version, ...values });
    if (answer.ok) {
      // The edit is stored; remember its new version before trying to submit.
      replaceClaim(answer.data);
      target.claim = answer.data;
      if (submitAfter) {
        answer = await api.submit(answer.data.id, answer.data.version, form.submitComment());
      }
    }
  }
  if (!answer.ok) {
    form.showError(answer.data.error);
    return;
  }
  replaceClaim(answer.data);
  form.close();
  document.getSelection().removeAllRanges();
  select(answer.data.id, "mark");
}

if (form) {
  formElement.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.target) return;
    const submitAfter = event.submitter && event.submitter.value === "submit";
    form.busy(true);
    try {
      await save(submitAfter);
    } finally {
      form.busy(false);
    }
  });
  document.getElementById("cancel-claim").addEventListener("click", () => form.close());
}

render();
container.classList.add("ready");
