// The claim form: opened for a new span or for an existing claim, read into the API's claim
// shape, and showing the server's errors beside the fields. Nothing typed is cleared on error.
// It knows whether anything was typed since it was opened (dirty()), and can be filled from a
// kept draft or from another version of the claim (fill()).

import { t } from "./texts.js";

// Every field of a source the API takes, so that a save never clears one (the API's
// SOURCE_FIELDS); a source that already exists is sent with its id.
const SOURCE_FIELDS = [
  "url",
  "title",
  "publisher",
  "published_on",
  "accessed_on",
  "archive_url",
  "passage",
  "kind",
];
const DATE_FIELDS = ["published_on", "accessed_on"];
const NOTE_REQUIRED =
  "A correction note is required: this claim was published, so say what changed and why.";

export class ClaimForm {
  constructor(form) {
    this.form = form;
    this.rows = form.querySelector("#source-rows");
    this.template = document.getElementById("source-template");
    this.errors = form.querySelector("#form-errors");
    this.title = form.querySelector("#claim-form-title");
    this.quote = form.querySelector("#claim-form-quote");
    this.saveButton = form.querySelector("#save-claim");
    this.submitButton = form.querySelector("#submit-claim");
    this.note = form.querySelector("#correction-note");
    this.notice = form.querySelector("#draft-notice");
    this.sourceCounter = 0;
    this.target = null; // {span} for a new claim, {claim} for an edit
    this.pristine = null; // the form's state() when opened or last saved
    form.querySelector("#add-source").addEventListener("click", () => {
      this.addSource({}).querySelector("[data-field=url]").focus();
    });
    this.rows.addEventListener("click", (event) => {
      const button = event.target.closest(".remove-source");
      if (!button) return;
      button.closest(".source-row").remove();
      // Removing a row types nothing: tell the draft keeper the form changed.
      form.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  /** Whether the form is open. */
  get open() {
    return !this.form.hidden && this.target !== null;
  }

  /** Everything the user can type, as one comparable value. */
  state() {
    return { values: this.values(), comment: this.field("comment").value };
  }

  /** Whether anything was typed since the form was opened (or last matched the server). */
  dirty() {
    return this.open && JSON.stringify(this.state()) !== this.pristine;
  }

  /** Take the current content as the unchanged state. */
  markPristine() {
    this.pristine = JSON.stringify(this.state());
  }

  /** Put `values` (the API's claim shape) and a correction `comment` into the fields. */
  fill(values, comment = "") {
    this.field("claim_text").value = values.claim_text || "";
    this.field("claimant").value = values.claimant || "";
    const kind = this.field("claimant_kind");
    if (kind) kind.value = values.claimant_kind || "";
    this.field("claimant").dispatchEvent(new Event("claimant-filled"));
    this.field("verdict").value = values.verdict || "";
    this.field("rationale").value = values.rationale || "";
    this.field("comment").value = comment;
    this.rows.replaceChildren();
    for (const source of values.sources || []) this.addSource(source);
    if (!values.sources || values.sources.length === 0) this.addSource({});
  }

  /** Say that the form holds a kept draft (`savedAt`, ISO) or say nothing (null). */
  showNotice(savedAt) {
    this.notice.hidden = savedAt === null;
    if (savedAt === null) return;
    const at = new Date(savedAt);
    const when = Number.isNaN(at.getTime())
      ? ""
      : at.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    this.notice.querySelector("#draft-notice-text").textContent = when
      ? t("Restored what you typed on {when}. It is not saved yet: save it, or discard it.", {
          when,
        })
      : t("Restored what you typed. It is not saved yet: save it, or discard it.");
  }

  field(name) {
    return this.form.elements.namedItem(name);
  }

  addSource(source) {
    const row = this.template.content.firstElementChild.cloneNode(true);
    this.sourceCounter += 1;
    for (const name of SOURCE_FIELDS) {
      const control = row.querySelector(`[data-field=${name}]`);
      control.id = `source-${this.sourceCounter}-${name}`;
      row.querySelector(`label[data-for=${name}]`).htmlFor = control.id;
      if (source[name] !== undefined && source[name] !== null) control.value = source[name];
    }
    if (source.id !== undefined && source.id !== null) row.dataset.sourceId = String(source.id);
    this.rows.appendChild(row);
    return row;
  }

  openForNew(span) {
    const previous = this.target && this.target.span;
    if (previous && !this.form.hidden) {
      // A new selection while a new claim is being written moves its span and keeps the rest.
      const claimText = this.field("claim_text");
      if (claimText.value === previous.quote) claimText.value = span.quote;
      this.target = { span };
      this.quote.textContent = span.quote;
      this.show();
      return;
    }
    this.target = { span };
    this.reset();
    this.title.textContent = t("New claim");
    this.quote.textContent = span.quote;
    this.field("claim_text").value = span.quote;
    this.addSource({});
    this.saveButton.textContent = t("Save draft");
    this.markPristine();
    this.show();
  }

  openForEdit(claim) {
    this.target = { claim };
    this.reset();
    this.title.textContent = t("Edit claim #{id}", { id: claim.id });
    this.quote.textContent = claim.quote;
    this.field("claim_text").value = claim.claim_text;
    this.field("claimant").value = claim.claimant;
    this.field("verdict").value = claim.verdict || "";
    this.field("rationale").value = claim.rationale;
    for (const source of claim.sources) this.addSource(source);
    if (claim.sources.length === 0) this.addSource({});
    // A claim published before is resubmitted with the note the server asks for (the comment
    // of the submission), which is published with the correction.
    this.note.hidden = !claim.published_at;
    this.saveButton.textContent = claim.status === "draft" ? t("Save draft") : t("Save changes");
    this.markPristine();
    this.show();
  }

  reset() {
    this.form.reset();
    this.note.hidden = true;
    this.rows.replaceChildren();
    this.clearErrors();
    this.showNotice(null);
    const conflict = this.form.querySelector("#conflict");
    conflict.hidden = true;
  }

  show() {
    this.form.hidden = false;
    this.form.scrollIntoView({ block: "nearest" });
    this.field("claim_text").focus();
  }

  close() {
    this.target = null;
    this.pristine = null;
    this.form.hidden = true;
    this.reset();
  }

  /** The form's content in the API's shape; source rows left entirely empty are skipped. */
  values() {
    const sources = [];
    for (const row of this.rows.querySelectorAll(".source-row")) {
      const source = {};
      for (const name of SOURCE_FIELDS) {
        source[name] = row.querySelector(`[data-field=${name}]`).value;
      }
      const typed = SOURCE_FIELDS.some((name) => name !== "kind" && source[name].trim() !== "");
      if (!typed && !row.dataset.sourceId) continue;
      for (const name of DATE_FIELDS) if (source[name] === "") source[name] = null;
      if (row.dataset.sourceId) source.id = Number(row.dataset.sourceId);
      sources.push(source);
    }
    return {
      claim_text: this.field("claim_text").value,
      claimant: this.field("claimant").value,
      // Only for a name no claimant has yet (claimant-picker.js asks for it).
      ...(this.field("claimant_kind")?.value
        ? { claimant_kind: this.field("claimant_kind").value }
        : {}),
      verdict: this.field("verdict").value || null,
      rationale: this.field("rationale").value,
      sources,
    };
  }

  /** The comment a submission sends: the correction note, for a claim published before. */
  submitComment() {
    return this.note.hidden ? "" : this.field("comment").value.trim();
  }

  /** Whether the form may be submitted for review; if not, the reason is shown beside the
   * correction note and nothing is to be sent (not even the edit). */
  readyToSubmit() {
    if (this.note.hidden || this.submitComment() !== "") return true;
    this.showError({ message: t("Nothing was sent."), fields: { comment: [t(NOTE_REQUIRED)] } });
    return false;
  }

  busy(on) {
    for (const button of this.form.querySelectorAll("button")) button.disabled = on;
    this.form.setAttribute("aria-busy", on ? "true" : "false");
  }

  clearErrors() {
    this.errors.hidden = true;
    this.errors.replaceChildren();
    for (const slot of this.form.querySelectorAll("[data-error-for]")) {
      slot.hidden = true;
      slot.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
  }

  /** Show an API error ({status, code, message, fields}) beside the form and its fields. */
  showError(error) {
    this.clearErrors();
    const summary = document.createElement("p");
    summary.textContent = error.message || t("The claim could not be saved.");
    const list = document.createElement("ul");
    for (const [name, messages] of Object.entries(error.fields || {})) {
      const texts = (Array.isArray(messages) ? messages : [messages]).map(String);
      const slot = this.form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (slot) {
        slot.textContent = texts.join(" ");
        slot.hidden = false;
        const control = this.field(name);
        if (control && control.setAttribute) control.setAttribute("aria-invalid", "true");
      }
      for (const text of texts) {
        const item = document.createElement("li");
        item.textContent = slot ? text : `${name}: ${text}`;
        list.appendChild(item);
      }
    }
    this.errors.append(summary);
    if (list.children.length) this.errors.append(list);
    this.errors.hidden = false;
    this.errors.focus();
  }
}
