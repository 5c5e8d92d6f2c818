// The annotation page: highlights, the side panel, and selecting text to record a claim.
// Initial data comes from the #page-data JSON block; writes go through the REST API, and after
// each write the claim's row (with what the user may now do with it) is read again from the
// page's own endpoint: the rules live on the server only.
//
// The pieces, each a module: highlights.js (the marks in the text), hover-card.js (the card
// beside a hovered or focused mark), claim-panel.js and panel-filters.js (the list of claims),
// claim-form.js (the form), drafts.js (what was typed, kept in the browser), conflict.js (an
// edit that met a newer version), confirm-dialog.js (questions before discarding anything).

import { claims as api, request } from "./api.js";
import { ClaimForm } from "./claim-form.js";
import { renderPanel, selectItem, showPanelError } from "./claim-panel.js";
import { confirmAction } from "./confirm-dialog.js";
import { hideConflict, showConflict } from "./conflict.js";
import { draftKey, draftsOf, loadDraft, removeDraft, saveDraft } from "./drafts.js";
import {
  dimHighlights,
  linePattern,
  renderHighlights,
  selectHighlight,
  showPending,
  startOf,
  textRange,
} from "./highlights.js";
import { HoverCard } from "./hover-card.js";
import { enableKeyboardSelection } from "./keyboard-caret.js";
import { rangeOffsets, toCodePoints, wholeGraphemes } from "./offsets.js";
import { PanelFilter } from "./panel-filters.js";
import { setTexts, t } from "./texts.js";

const data = JSON.parse(document.getElementById("page-data").textContent);
setTexts(data.texts);
const articleId = data.article.id;
const container = document.getElementById("article-text");
// Read before any highlight is drawn: the text nodes of #article-text are the article's
// text, character for character (the template keeps it so), and marks never change it.
const body = container.textContent;
const descriptions = document.getElementById("claim-descriptions");
const side = document.querySelector(".side");
const list = document.getElementById("claim-list");
const formElement = document.getElementById("claim-form");
const form = formElement ? new ClaimForm(formElement) : null;
const conflictSection = document.getElementById("conflict");
const newClaimButton = document.getElementById("new-claim");
const selectionStatus = document.getElementById("selection-status");
const backButton = document.getElementById("back-to-text");
const context = { statuses: data.statuses, verdicts: data.verdicts, timeZone: data.time_zone };
const narrow = window.matchMedia("(max-width: 60rem)");
// Segmented once; a selection (mouse, touch or keyboard) is widened to whole characters.
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(body);

let claims = data.claims;
let byId = new Map();
let selectedId = null;
let pendingSpan = null; // the current text selection, in code points
let draftAt = null; // the key of the draft of what the form holds
let theirs = null; // the newer saved version met by an edit, while the conflict is shown
let returnTo = null; // the highlight the reader jumped from to the panel

const filter = new PanelFilter(
  document.getElementById("claim-filters"),
  list,
  context,
  (shown) => dimHighlights(container, shown),
);
new HoverCard(document.getElementById("highlight-card"), container, (id) => byId.get(id), context);

function render() {
  byId = new Map(claims.map((c) => [c.id, c]));
  renderHighlights(container, body, claims, descriptions);
  renderPanel(list, claims, context);
  filter.update(claims);
  document.getElementById("claim-count").textContent = `(${claims.length})`;
  document.getElementById("no-claims").hidden = claims.length > 0;
  if (selectedId !== null) select(selectedId, false);
  // The marks were rebuilt: draw the passage being written again.
  if (form && form.open && form.target.span) showPending(container, body, form.target.span);
}

function renderLegend() {
  const legend = document.getElementById("highlight-legend");
  const present = Object.entries(data.statuses).filter(([s]) => claims.some((c) => c.status === s));
  legend.replaceChildren(
    ...present.map(([status, label]) => {
      const entry = document.createElement("li");
      const line = document.createElement("span");
      line.className = "legend-line";
      line.style.setProperty("background-image", linePattern(status));
      entry.append(line, document.createTextNode(label));
      return entry;
    }),
  );
  legend.hidden = present.length === 0;
}

function select(id, scroll) {
  selectedId = id;
  const mark = selectHighlight(container, id);
  const item = selectItem(list, id);
  if (!scroll) return;
  if (scroll === "item" && item) item.scrollIntoView({ block: "nearest" });
  if (scroll === "mark" && mark) mark.scrollIntoView({ block: "center" });
}

function inView(element) {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight;
}

/** From a highlight to its claim in the panel, with a way back to the text. */
function openFromText(mark) {
  const id = Number(mark.dataset.claim);
  let item = list.querySelector(`#claim-${id}`);
  if (item && item.hidden) {
    // A filter hides it: show everything rather than open nothing.
    document.getElementById("claim-filters").reset();
    filter.apply();
    item = list.querySelector(`#claim-${id}`);
  }
  select(id, "item");
  if (item) item.querySelector(".claim-select").focus({ preventScroll: true });
  returnTo = id;
  backButton.hidden = inView(mark);
}

/** From a claim in the panel to its highlight, which takes the focus. */
function showInText(id) {
  select(id, false);
  const mark = startOf(container, id);
  backButton.hidden = true;
  returnTo = null;
  if (!mark) return;
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
}

backButton.addEventListener("click", () => {
  if (returnTo !== null) showInText(returnTo);
  backButton.hidden = true;
});

/** The claim's row as the server now sees it, or null (gone, or the server unreachable). */
async function fetchRow(id) {
  const answer = await request("GET", data.claim_row_url.replace(/0\/$/, `${id}/`));
  return answer.ok ? answer.data : null;
}

/** After a write: show the claim as the write left it, then as the server describes it. */
async function refresh(written) {
  const row = (await fetchRow(written.id)) || { ...byId.get(written.id), ...written };
  claims = claims.filter((c) => c.id !== row.id).concat([row]);
  selectedId = row.id;
  render();
  renderLegend();
  return row;
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
    ? t("Selected {count} characters. Press “New claim” to record a claim.", {
        count: pendingSpan.end - pendingSpan.start,
      })
    : t("Select a passage of the text to record a claim.");
}

document.addEventListener("selectionchange", onSelectionChange);

// --- Highlights and the panel ---------------------------------------------------------------

container.addEventListener("click", (event) => {
  const mark = event.target.closest("mark.claim-mark");
  if (!mark) return;
  const selection = document.getSelection();
  if (selection && !selection.isCollapsed) return; // the end of a drag, not a click
  openFromText(mark);
});

container.addEventListener("keydown", (event) => {
  const mark = event.target.closest && event.target.closest("mark.claim-start");
  if (!mark || (event.key !== "Enter" && event.key !== " ")) return;
  // Enter on a highlight opens its claim (not a new claim on a selection).
  event.preventDefault();
  event.stopImmediatePropagation();
  openFromText(mark);
});

list.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const id = Number(button.closest(".claim-item").dataset.claim);
  const claim = byId.get(id);
  if (!claim) return;
  const name = button.dataset.action;
  if (name === "select") {
    select(id, "mark");
  } else if (name === "show") {
    showInText(id);
  } else if (name === "edit") {
    if (!(await mayReplaceForm())) return;
    select(id, false);
    openEditResuming(claim);
  } else if (name === "delete") {
    const sure = await confirmAction({
      title: t("Delete this draft claim?"),
      message: t("The draft and its sources are deleted for good."),
      confirm: t("Delete the draft"),
      keep: t("Keep it"),
    });
    if (!sure) return;
    const answer = await api.remove(id, claim.version);
    if (answer.ok) {
      claims = claims.filter((c) => c.id !== id);
      if (form && form.target && form.target.claim && form.target.claim.id === id) closeForm();
      selectedId = null;
      render();
      renderLegend();
    } else {
      showPanelError(button, answer.data.error);
    }
  } else if (name === "submit") {
    if (claim.published_at) {
      // A correction goes with its note, which only the form can take.
      if (!(await mayReplaceForm())) return;
      select(id, false);
      openEditResuming(claim);
      form.field("comment").focus();
      return;
    }
    const answer = await api.submit(id, claim.version);
    if (answer.ok) await refresh(answer.data);
    else showPanelError(button, answer.data.error);
  } else if (name === "withdraw") {
    const answer = await request("POST", `/api/claims/${id}/withdraw/`, {
      version: claim.version,
      comment: "",
    });
    if (answer.ok) await refresh(answer.data);
    else showPanelError(button, answer.data.error);
  }
});

// The back button goes once the reader is back at the highlight by other means.
let scrollQueued = false;
window.addEventListener(
  "scroll",
  () => {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => {
      scrollQueued = false;
      fitSide();
      if (returnTo !== null && !backButton.hidden) {
        const mark = startOf(container, returnTo);
        if (mark && inView(mark)) backButton.hidden = true;
      }
    });
  },
  { passive: true },
);

/** Beside the text, the panel is as tall as the part of the window it can use, so that the
 *  form's buttons (sticky at its foot) are always on screen. */
function fitSide() {
  const top = Math.max(0, side.getBoundingClientRect().top);
  side.style.setProperty("--side-max", `${window.innerHeight - top}px`);
}
window.addEventListener("resize", fitSide);

// --- The form ------------------------------------------------------------------------------

function keepDraft() {
  if (!form || !form.open) return;
  const key = draftKey(articleId, form.target);
  if (draftAt && draftAt !== key) removeDraft(draftAt);
  draftAt = key;
  if (!form.dirty()) {
    removeDraft(key);
    return;
  }
  const target = form.target.claim
    ? { claim: form.target.claim.id, version: form.target.claim.version }
    : { span: form.target.span };
  saveDraft(key, { target, state: form.state() });
}

function closeForm() {
  removeDraft(draftAt);
  draftAt = null;
  theirs = null;
  form.close();
  showPending(container, body, null);
}

/** Whether the form may take other content: yes when nothing typed would be lost, or when
 *  the user says to discard it. */
async function mayReplaceForm() {
  if (!form || !form.dirty()) return true;
  const discard = await confirmAction({
    title: t("Discard your changes?"),
    message: t("What you typed in the open claim form has not been saved."),
    confirm: t("Discard changes"),
    keep: t("Keep editing"),
  });
  if (discard) closeForm();
  return discard;
}

async function requestClose() {
  if (!form.dirty()) {
    closeForm();
    return;
  }
  if (await mayReplaceForm()) return;
  form.field("claim_text").focus();
}

function placePassage(span) {
  // On a phone the form covers the lower part of the screen: bring the passage above it.
  if (!narrow.matches) return;
  const range = textRange(container, body, span.start, span.end);
  if (!range) return;
  const box = range.getBoundingClientRect();
  window.scrollBy({ top: box.top - window.innerHeight * 0.15 });
}

/** Fill the open form with a kept draft of what it holds, if there is one, and say so. */
function resumeDraft() {
  const kept = loadDraft(draftKey(articleId, form.target));
  if (!kept || !kept.state) return;
  if (form.target.claim && kept.target && kept.target.version !== undefined) {
    // Edited from the version the draft was typed on: a newer one meets the conflict screen.
    form.target.claim = { ...form.target.claim, version: kept.target.version };
  }
  form.fill(kept.state.values, kept.state.comment);
  form.showNotice(kept.saved_at);
}

function openNew(span) {
  const moving = form.open && form.target.span; // a new selection moves the claim being written
  form.openForNew(span);
  if (!moving) resumeDraft();
  showPending(container, body, span);
  placePassage(span);
  keepDraft();
}

function openEdit(claim) {
  form.openForEdit(claim);
  showPending(container, body, null);
  draftAt = draftKey(articleId, form.target);
}

/** Edit a claim, with what was typed in it before and not saved. */
function openEditResuming(claim) {
  openEdit(claim);
  resumeDraft();
}

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
      target.claim = await refresh(answer.data);
      if (submitAfter) {
        answer = await api.submit(answer.data.id, answer.data.version, form.submitComment());
      }
    } else if (answer.status === 409 && answer.data.error.code === "stale_version") {
      const saved = await fetchRow(target.claim.id);
      if (saved) {
        theirs = saved;
        form.clearErrors();
        showConflict(conflictSection, saved, values, data.verdicts);
        return;
      }
    }
  }
  if (!answer.ok) {
    form.showError(answer.data.error);
    return;
  }
  // The page shows the stored claim before the form closes: the form's closing says it is done.
  await refresh(answer.data);
  closeForm();
  document.getSelection().removeAllRanges();
  select(answer.data.id, "mark");
}

async function saving(submitAfter) {
  form.busy(true);
  try {
    await save(submitAfter);
  } finally {
    form.busy(false);
  }
}

if (form) {
  formElement.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.target) return;
    hideConflict(conflictSection);
    await saving(Boolean(event.submitter && event.submitter.value === "submit"));
  });
  formElement.addEventListener("input", keepDraft);
  formElement.addEventListener("change", keepDraft);
  formElement.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    event.preventDefault();
    requestClose();
  });
  document.getElementById("cancel-claim").addEventListener("click", requestClose);
  document.getElementById("discard-draft").addEventListener("click", () => {
    removeDraft(draftAt);
    const target = form.target;
    if (target.claim && byId.has(target.claim.id)) {
      openEdit(byId.get(target.claim.id));
    } else {
      closeForm();
    }
  });
  document.getElementById("conflict-mine").addEventListener("click", async () => {
    // Save what the user typed on top of the version they have now seen.
    form.target.claim = theirs;
    hideConflict(conflictSection);
    keepDraft();
    await saving(false);
  });
  document.getElementById("conflict-theirs").addEventListener("click", () => {
    form.target.claim = theirs;
    form.fill(theirs);
    form.markPristine();
    hideConflict(conflictSection);
    keepDraft();
    claims = claims.filter((c) => c.id !== theirs.id).concat([theirs]);
    render();
    form.field("claim_text").focus();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!form.dirty()) return;
    keepDraft();
    event.preventDefault();
    event.returnValue = "";
  });

  // Keep the text selection when the button is pressed with the mouse.
  newClaimButton.addEventListener("mousedown", (event) => event.preventDefault());
  newClaimButton.addEventListener("click", async () => {
    // selectionchange arrives as a task of its own, so read the selection as it is now.
    const span = currentSpan() || pendingSpan;
    if (!span) return;
    // A new selection moves a new claim being written; it replaces an edit only if asked.
    if (form.open && form.target.claim && !(await mayReplaceForm())) return;
    openNew(span);
  });
  enableKeyboardSelection(container);
  container.addEventListener("keydown", async (event) => {
    // Enter records a claim on a selection made from the keyboard.
    const span = event.key === "Enter" ? currentSpan() : null;
    if (!span) return;
    event.preventDefault();
    if (form.open && form.target.claim && !(await mayReplaceForm())) return;
    openNew(span);
  });
}

/** Open the form again on the newest draft kept for this article, saying so. */
function restoreDraft() {
  for (const draft of draftsOf(articleId)) {
    if (!draft.target || !draft.state) continue;
    if (draft.target.claim !== undefined) {
      const claim = byId.get(draft.target.claim);
      if (!claim || !claim.can_edit) continue;
      select(claim.id, "mark");
      openEditResuming(claim);
    } else {
      if (!draft.target.span) continue;
      openNew(draft.target.span);
    }
    return;
  }
}

render();
renderLegend();
// Measured once the page is laid out anyway, rather than forcing a layout of the text now.
requestAnimationFrame(fitSide);
container.classList.add("ready");
if (form) restoreDraft();
