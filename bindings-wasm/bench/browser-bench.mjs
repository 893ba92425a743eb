// Drives bench.html in headless Chromium and prints the browser's times; browser-bench.sh compares
// them with the native CLI. Usage: node browser-bench.mjs BASE_URL PERIOD OUT_JSON
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(join(here, "..", "package.json"))("playwright-core");
const [base, period, out] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "chiso-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${base}bench.html?period=${period}`);
  await page.waitForSelector("body[data-ready='1']", { state: "attached" });
  const r = await page.evaluate(() => window.bench());
  writeFileSync(out, r.json);
  const ua = await page.evaluate(() => navigator.userAgent);
  console.log(JSON.stringify({ bytes: r.bytes, streamMs: Math.round(r.streamMs), memoryMs: Math.round(r.memoryMs), same: r.same, browser: ua }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
