// What the user typed in the claim form, kept in the browser (localStorage) until it is saved
// or discarded, so that a closed tab, a reload or a crash loses nothing. One draft per claim
// being edited and per passage of a new claim, under keys that name the article.

const PREFIX = "factcheck:claim-draft:";

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage refused (private mode, policy): drafts are simply not kept
  }
}

/** The key of the draft for `target` ({span} of a new claim or {claim} being edited). */
export function draftKey(articleId, target) {
  if (target.claim) return `${PREFIX}${articleId}:claim:${target.claim.id}`;
  return `${PREFIX}${articleId}:new:${target.span.start}-${target.span.end}`;
}

export function saveDraft(key, draft) {
  const store = storage();
  if (!store) return;
  try {
    store.setItem(key, JSON.stringify({ ...draft, saved_at: new Date().toISOString() }));
  } catch {
    // Full or refused: the page still warns before leaving with unsaved changes.
  }
}

export function removeDraft(key) {
  const store = storage();
  if (store && key) store.removeItem(key);
}

/** The draft kept under `key`, or null. */
export function loadDraft(key) {
  const store = storage();
  if (!store) return null;
  try {
    const draft = JSON.parse(store.getItem(key));
    return draft ? { key, ...draft } : null;
  } catch {
    return null;
  }
}

/** The drafts kept for this article, newest first: [{key, ...draft}]. */
export function draftsOf(articleId) {
  const store = storage();
  if (!store) return [];
  const prefix = `${PREFIX}${articleId}:`;
  const found = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (!key || !key.startsWith(prefix)) continue;
    try {
      found.push({ key, ...JSON.parse(store.getItem(key)) });
    } catch {
      store.removeItem(key); // unreadable: nothing to restore from it
    }
  }
  return found.sort((a, b) => String(b.saved_at).localeCompare(String(a.saved_at)));
}
