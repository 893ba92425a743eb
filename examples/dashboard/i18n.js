// Every word the dashboard shows comes from the chiso WebAssembly package's label catalogue
// (`labels(lang)`, the core's `chiso::labels`, the same words as the CLI's reports); this module
// keeps no label of its own, it only looks them up. Indicator names come from the plan itself
// (labels.vi / labels.en), unit names from units.csv.
import { labels, localizeText, rejectionText } from "./vendor/chiso-wasm/index.js";

const catalogues = new Map();

/** The catalogue in `lang` (`vi` or `en`), read from the package once. Call after `init()`. */
export function catalogue(lang) {
  if (!catalogues.has(lang)) catalogues.set(lang, labels(lang));
  return catalogues.get(lang);
}

/** `text` with its first letter in upper case, for a label that starts a line or a heading. */
export function capitalise(text, lang) {
  return text ? text.charAt(0).toLocaleUpperCase(lang) + text.slice(1) : text;
}

/** Replaces each `{name}` of `template` by `values[name]` (the core's `labels::fill`). */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A word of the interface (`WordKey`) as the catalogue writes it; the key if unknown. */
export function word(lang, key) {
  return catalogue(lang).word[key] ?? key;
}

/** A status (`met`, …) as a label; the code if unknown. */
export function statusLabel(lang, status) {
  return capitalise(catalogue(lang).status[status] ?? status, lang);
}

/**
 * A result's reason in `lang`. The evaluation's JSON gives the reason in English with its code:
 * the values in it (a period, a count) are read back through the English template of that code
 * and put into the template of `lang`. Without a template for the code, the English text is shown.
 */
export function reasonText(lang, code, english) {
  const en = catalogue("en").reason[code];
  const target = catalogue(lang).reason[code];
  if (!en || !target) return english;
  const names = [];
  const escaped = en.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  const pattern = escaped.replace(/\\?\{(\w+)\\?\}/g, (_, name) => { names.push(name); return "(.+?)"; });
  const match = new RegExp(`^${pattern}$`).exec(english);
  if (!match) return english;
  return fill(target, Object.fromEntries(names.map((n, i) => [n, match[i + 1]])));
}

/**
 * A rejected row in `lang`: the JSON keeps its `reason` in English (a contract shared with the CLI
 * and libchiso), and the package matches it against the core's catalogue to tell it in `lang`.
 */
export function rejectionLine(lang, rejection) {
  return rejectionText(rejection, lang);
}

/** An error's message (English, as `ChisoError.message` gives it) in `lang`, by the same catalogue. */
export function messageText(lang, message) {
  return localizeText(String(message ?? ""), lang);
}

/** A Decision 766 metric's name; the code if the catalogue has none (a user's own profile). */
export function metricName(lang, code) {
  return catalogue(lang).metric[code] ?? code;
}

/** A Decision 766 group's name in `profile` (a profile may name a group its own way). */
export function groupName(lang, profile, code) {
  const groups = catalogue(lang).group;
  return capitalise(groups[`${code}.${profile}`] ?? groups[code] ?? code, lang);
}
