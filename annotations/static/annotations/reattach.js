// The "Orphaned claims" panel: re-attach a claim whose passage was lost when the article
// changed to the passage selected in the text now (POST /api/claims/{id}/reattach/).

import { request } from "./api.js";
import { rangeOffsets, toCodePoints, wholeGraphemes } from "./offsets.js";
import { setTexts, t } from "./texts.js";

const data = JSON.parse(document.getElementById("page-data").textContent);
setTexts(data.texts);
const container = document.getElementById("article-text");
// The text nodes of #article-text are the article's text (the template keeps it so).
const body = container.textContent;
const status = document.getElementById("reattach-status");
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(body);

function selectedSpan() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const units = rangeOffsets(container, selection.getRangeAt(0));
  return units ? toCodePoints(body, wholeGraphemes(graphemes, units)) : null;
}

function say(message) {
  status.textContent = message;
  status.hidden = !message;
}

for (const button of document.querySelectorAll("button.reattach")) {
  // Keep the text selection when the button is pressed with the mouse.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", async () => {
    const span = selectedSpan();
    if (!span) {
      say(t("Select the passage of the article this claim refers to now, then press the button."));
      return;
    }
    button.disabled = true;
    const answer = await request("POST", `/api/claims/${button.dataset.claim}/reattach/`, {
      version: Number(button.dataset.version),
      start: span.start,
      end: span.end,
    });
    if (answer.ok) {
      window.location.reload();
      return;
    }
    button.disabled = false;
    say(t("Not re-attached: {reason}", { reason: answer.data.error.message }));
  });
}
