// "Checked before?" on the annotation page, beside the claim form (claim-form.js) without
// changing it: while a claim is written, the published fact-checks that say the same (from
// GET /api/claims/checked-before/, debounced), and a warning when the selected passage already
// carries a claim; and the article's sentences that repeat a fact-check, underlined in the
// text (CSS Custom Highlight API, so the highlights' own marks are never touched).

import { request } from "./api.js";
import { utf16Offset } from "./offsets.js";
import { t } from "./texts.js";

const WAIT_MS = 350;
const MAX_TEXT = 2000;
// Dates as the server's pages write them, in the page's language: 6 Dec 2026, 6 déc. 2026.
const LANGUAGE = document.documentElement.lang || "en";
const DAY = new Intl.DateTimeFormat(LANGUAGE === "en" ? "en-GB" : LANGUAGE, {
  day: "numeric",
  month: "short",
  year: "numeric",
});

const container = document.getElementById("article-text");
const form = document.getElementById("claim-form");

// --- The claim form ---------------------------------------------------------------------------

function formWatcher() {
  const quote = form.querySelector("#claim-form-quote");
  const title = form.querySelector("#claim-form-title");
  const claimText = form.querySelector("#claim-text");

  const taken = document.createElement("p");
  taken.id = "passage-taken";
  taken.className = "passage-taken";
  taken.setAttribute("role", "status");
  taken.hidden = true;

  const panel = document.createElement("section");
  panel.id = "checked-before";
  panel.className = "checked-before";
  panel.setAttribute("aria-live", "polite");
  panel.setAttribute("aria-label", t("Checked before?"));
  panel.hidden = true;
  quote.after(taken, panel);

  let timer = null;
  let asking = 0;
  let asked = "";

  function show(results) {
    panel.replaceChildren();
    if (!results.length) {
      panel.hidden = true;
      return;
    }
    const heading = document.createElement("h3");
    heading.textContent = t("Checked before? Published fact-checks that say the same:");
    const list = document.createElement("ol");
    for (const item of results) {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = item.claim_text;
      const facts = document.createElement("span");
      const day = item.published_at ? DAY.format(new Date(item.published_at)) : "";
      facts.textContent = ` — ${item.verdict_label || t("no verdict")}${day ? `, ${day}` : ""} `;
      const score = document.createElement("span");
      score.className = "score";
      score.textContent = t("(score {score})", { score: item.score.toFixed(2) });
      entry.append(link, facts, score);
      list.append(entry);
    }
    panel.append(heading, list);
    panel.hidden = false;
  }

  async function ask() {
    const text = (claimText.value.trim() || quote.textContent.trim()).slice(0, MAX_TEXT);
    if (text === asked) return;
    asked = text;
    asking += 1;
    const mine = asking;
    if (!text) {
      show([]);
      return;
    }
    const url = `/api/claims/checked-before/?${new URLSearchParams({ text })}`;
    const answer = await request("GET", url);
    // An answer to an earlier text, overtaken by a later one, is dropped.
    if (mine !== asking) return;
    show(answer.ok ? answer.data.results : []);
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT_MS);
  }

  // The claims under the latest selection in the text, kept as it changes: the form takes
  // the focus when it opens, which moves the selection away from the text.
  let touched = [];
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;
    const found = new Set();
    for (const mark of container.querySelectorAll("mark.claim-mark")) {
      if (!range.intersectsNode(mark)) continue;
      for (const id of (mark.dataset.claims || "").split(" ")) if (id) found.add(id);
    }
    touched = [...found];
  });

  function passageChanged() {
    const editing = /#(\d+)/.exec(title.textContent);
    const ids = editing ? [] : touched;
    taken.hidden = ids.length === 0;
    const named = { ids: ids.map((id) => `#${id}`).join(", ") };
    const said =
      ids.length === 1
        ? t("This passage already carries claim {ids}: check the list of claims before saving another.", named)
        : t("This passage already carries claims {ids}: check the list of claims before saving another.", named);
    taken.textContent = ids.length ? said : "";
    asked = "";
    // A claim being edited is looked up again only once its restated claim is changed.
    if (!editing) later();
  }

  new MutationObserver(passageChanged).observe(quote, { childList: true, characterData: true });
  claimText.addEventListener("input", later);
  new MutationObserver(() => {
    if (form.hidden) {
      panel.hidden = true;
      taken.hidden = true;
      asked = "";
    }
  }).observe(form, { attributes: true, attributeFilter: ["hidden"] });
}

// --- Known claims in the text -------------------------------------------------------------------

/** A DOM Range over code points [start, end) of the container's text. */
function rangeOf(start, end) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  let begun = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = [...node.data].length;
    if (!begun && start < seen + length) {
      range.setStart(node, utf16Offset(node.data, start - seen));
      begun = true;
    }
    if (begun && end <= seen + length) {
      range.setEnd(node, utf16Offset(node.data, end - seen));
      return range;
    }
    seen += length;
  }
  return null;
}

function markKnownClaims() {
  const items = document.querySelectorAll("#known-claims .known-claim");
  if (!items.length || typeof Highlight === "undefined" || !CSS.highlights) return;
  const ranges = [];
  for (const item of items) {
    const range = rangeOf(Number(item.dataset.start), Number(item.dataset.end));
    if (range) ranges.push(range);
  }
  CSS.highlights.set("known-claim", new Highlight(...ranges));
}

if (container) {
  // The highlights rebuild the text's nodes (highlights.js): mark again after each rebuild.
  new MutationObserver(markKnownClaims).observe(container, { childList: true });
  markKnownClaims();
  for (const quote of document.querySelectorAll("#known-claims blockquote")) {
    // Selects the sentence in the text, ready for "New claim".
    quote.tabIndex = 0;
    quote.setAttribute("role", "button");
    quote.title = t("Select this sentence in the text");
    const selectSentence = () => {
      const item = quote.closest(".known-claim");
      const range = rangeOf(Number(item.dataset.start), Number(item.dataset.end));
      if (!range) return;
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      range.startContainer.parentElement.scrollIntoView({ block: "center" });
    };
    quote.addEventListener("click", selectSentence);
    quote.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        selectSentence();
      }
    });
  }
}
if (form && container) formWatcher();

// A repeat just recorded (views.matching) comes back as #claim-N: open it in the panel, so
// that sending it for review is the second click.
const shown = /^#claim-(\d+)$/.exec(window.location.hash);
if (shown) {
  const open = () => {
    const item = document.querySelector(`#claim-list .claim-item[data-claim="${shown[1]}"]`);
    if (!item) return false;
    item.querySelector(".claim-select").click();
    return true;
  };
  // The panel is drawn by article-page.js, which may run after this module.
  if (!open()) {
    const list = document.getElementById("claim-list");
    const watch = new MutationObserver(() => {
      if (open()) watch.disconnect();
    });
    if (list) watch.observe(list, { childList: true });
  }
}
