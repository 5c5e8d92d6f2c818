// The review screen: the decision form's comment follows the chosen decision (label and
// whether it is required), keyboard shortcuts pick a decision or go to the next claim, and
// the verdict badge takes its colour. Shortcuts never fire while typing in a field.

const form = document.getElementById("decision-form");
const comment = document.getElementById("decision-comment");
const commentLabel = document.getElementById("decision-comment-label");
const nextForm = document.getElementById("review-next");

for (const badge of document.querySelectorAll("[data-verdict-colour]")) {
  badge.style.setProperty("--verdict-colour", badge.dataset.verdictColour);
}

function chosen() {
  return form ? form.querySelector('input[name="action"]:checked') : null;
}

function followChoice() {
  const choice = chosen();
  const required = choice !== null && choice.dataset.commentRequired === "true";
  comment.required = required;
  if (choice === null) commentLabel.textContent = "Comment";
  else if (choice.dataset.commentLabel) commentLabel.textContent = choice.dataset.commentLabel;
  else commentLabel.textContent = required ? "Comment (required)" : "Comment (optional)";
}

function typing(target) {
  if (!(target instanceof Element)) return false;
  return target.closest("input, textarea, select, [contenteditable]") !== null &&
    !(target instanceof HTMLInputElement && target.type === "radio");
}

if (form) {
  followChoice();
  form.addEventListener("change", followChoice);
  form.addEventListener("submit", (event) => {
    // The server checks the same; this says it before the round trip, and keeps the text.
    if (chosen() === null) {
      event.preventDefault();
      form.querySelector('input[name="action"]').focus();
      showProblem("Choose a decision first.");
    } else if (comment.required && comment.value.trim() === "") {
      event.preventDefault();
      comment.setAttribute("aria-invalid", "true");
      comment.focus();
      showProblem("A comment is required for this decision: say why, for the author.");
    }
  });
  comment.addEventListener("input", () => comment.removeAttribute("aria-invalid"));
  comment.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      comment.blur();
    }
  });
}

function showProblem(text) {
  let box = document.getElementById("decision-problem");
  if (!box) {
    box = document.createElement("p");
    box.id = "decision-problem";
    box.className = "refusal";
    box.setAttribute("role", "alert");
    form.prepend(box);
  }
  box.textContent = text;
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) return;
  const key = event.key.toLowerCase();
  if (key === "n" && nextForm) {
    event.preventDefault();
    nextForm.requestSubmit();
    return;
  }
  if (!form) return;
  const choice = form.querySelector(`input[name="action"][data-key="${CSS.escape(key)}"]`);
  if (choice) {
    event.preventDefault();
    choice.checked = true;
    followChoice();
    comment.focus();
  }
});
