// The WASM front end of the cross-front-end partials test (.ci/stages/55-partials.sh), through the
// built package (bindings-wasm/pkg):
//   node partials.mjs save PERIOD UNITS PROCEDURES DOSSIERS OUT   Scorer766 … save()
//   node partials.mjs merge OUT PARTIAL...                        Scorer766.load, merge, finishSeriesJson()
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bindings-wasm", "pkg");
const chiso = await import(join(pkg, "index.js"));
chiso.initSync({ module: readFileSync(join(pkg, "chiso_wasm_bg.wasm")) });

const [how, ...args] = process.argv.slice(2);
if (how === "save") {
  const [period, units, procedures, dossiers, out] = args;
  const scorer = new chiso.Scorer766({ period, unitsCsv: readFileSync(units), proceduresCsv: readFileSync(procedures) });
  const bytes = readFileSync(dossiers);
  for (let at = 0; at < bytes.length; at += 65536) scorer.pushCsv(bytes.subarray(at, at + 65536));
  writeFileSync(out, scorer.save());
  scorer.free();
} else if (how === "merge") {
  const [out, ...partials] = args;
  const merged = chiso.Scorer766.load(readFileSync(partials[0]));
  for (const p of partials.slice(1)) {
    const other = chiso.Scorer766.load(readFileSync(p));
    merged.merge(other);
    other.free();
  }
  writeFileSync(out, merged.finishSeriesJson());
  merged.free();
} else {
  console.error("usage: node partials.mjs save PERIOD UNITS PROCEDURES DOSSIERS OUT | merge OUT PARTIAL...");
  process.exit(2);
}
