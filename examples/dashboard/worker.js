// Heavy work off the page's thread: a dossier CSV streamed through Scorer766 chunk by chunk (so a
// file of any size fits), or an observations file evaluated. Posts progress as bytes read.
import init, { evaluate, reportByRole, Scorer766 } from "./vendor/chiso-wasm/index.js";

const ready = init({ module_or_path: new URL("./vendor/chiso-wasm/chiso_wasm_bg.wasm", import.meta.url) });

/** The bytes of a File or a URL as a stream, with its size when known. */
async function open(message) {
  if (message.file) return { stream: message.file.stream(), total: message.file.size };
  const response = await fetch(message.url);
  if (!response.ok) throw Object.assign(new Error(`${message.url}: HTTP ${response.status}`), { code: "io" });
  return { stream: response.body, total: Number(response.headers.get("content-length")) || 0 };
}

/**
 * Streams the dossiers into a Scorer766: the scorecard (or series), or with `message.explain`
 * (`{ unit, metric, limit }`, a scorecard cell clicked) the records behind that number.
 */
async function score(message, progress) {
  const { stream, total } = await open(message);
  const scorer = new Scorer766({
    period: message.period,
    profile: message.profile || undefined,
    unitsCsv: message.unitsCsv,
    proceduresCsv: message.proceduresCsv,
    feedbackCsv: message.feedbackCsv,
    countsJson: message.countsJson,
    explain: message.kind === "explain" ? message.explain : undefined,
  });
  try {
    const reader = stream.getReader();
    let done = 0;
    let last = 0;
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      scorer.pushCsv(value);
      done += value.byteLength;
      if (done - last > 1 << 20 || done === total) { progress(done, total); last = done; }
    }
    progress(done, total);
    if (message.kind === "explain") return scorer.explain();
    // A range of periods (`2026-08..2026-10`) gives a series: every period's scorecard.
    return scorer.isSeries ? scorer.finishSeries() : scorer.finish();
  } finally {
    scorer.free();
  }
}

async function evaluateFile(message, progress) {
  const bytes = new Uint8Array(await message.file.arrayBuffer());
  progress(bytes.byteLength, bytes.byteLength);
  const input = { observationsCsv: bytes, unitsCsv: message.unitsCsv, asOf: message.asOf, proRata: message.proRata };
  return { evaluation: evaluate(input), byRole: reportByRole(input) };
}

self.onmessage = async ({ data }) => {
  const progress = (done, total) => self.postMessage({ id: data.id, kind: "progress", done, total });
  try {
    await ready;
    const result = data.kind === "evaluate" ? await evaluateFile(data, progress) : await score(data, progress);
    self.postMessage({ id: data.id, kind: "result", result });
  } catch (e) {
    self.postMessage({ id: data.id, kind: "error", code: e.code ?? "error", message: String(e.message ?? e) });
  }
};
