// The page's words in the reader's language. The page data's `texts` maps each English
// sentence the scripts show (listed in annotations/page_texts.py) to its translation; a
// sentence it does not hold is shown as written. {name} in a sentence takes values[name].

let texts = {};

export function setTexts(map) {
  texts = map || {};
}

export function t(message, values = {}) {
  const text = texts[message] || message;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
