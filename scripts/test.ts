/**
 * `npm test`: everything, on a fresh machine.
 *  1. unit tests (vitest project "unit");
 *  2. integration tests on embedded PGlite;
 *  3. integration tests on a real PostgreSQL server started here on a free
 *     loopback port in a temporary directory (installed with apt when missing);
 *  4. e2e tests (Playwright) against the built app in Debian's Chromium
 *     (installed with apt when missing).
 * Ends with one line: "N passed, N failed".
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startPgServer, type TPgServer } from "./lib/pg-server";
import { buildIfNeeded } from "./lib/build";

const OUT = path.resolve("tmp/test-results");
const CHROMIUM = "/usr/bin/chromium";

type TCount = { passed: number; failed: number; skipped: number };
const total: TCount = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return r.status ?? 1;
}

function vitestCounts(file: string): TCount | null {
  if (!fs.existsSync(file)) return null;
  const j = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
}

function playwrightCounts(file: string): TCount | null {
  if (!fs.existsSync(file)) return null;
  const j = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: j.stats.expected + j.stats.flaky, failed: j.stats.unexpected, skipped: j.stats.skipped };
}

function record(label: string, code: number, counts: TCount | null): void {
  // A suite that crashed before reporting counts as one failure.
  const c = counts ?? { passed: 0, failed: 1, skipped: 0 };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  lines.push(`${label.padEnd(28)} ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`);
}

function vitest(label: string, project: string, file: string, env: Record<string, string> = {}): void {
  const out = path.join(OUT, file);
  fs.rmSync(out, { force: true });
  const code = run("npx", ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], env);
  record(label, code, vitestCounts(out));
}

function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  console.log("Installing Chromium (apt-get install chromium)…");
  run("apt-get", ["update"]);
  if (run("apt-get", ["install", "-y", "--no-install-recommends", "chromium", "fonts-dejavu-core"], { DEBIAN_FRONTEND: "noninteractive" }) !== 0) {
    throw new Error("apt-get install chromium failed");
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const only = process.argv[2]; // optional: unit | integration | e2e

  if (!only || only === "unit") vitest("unit", "unit", "unit.json");
  if (!only || only === "integration") {
    // The system tests run the built app (several `next start` processes).
    try {
      buildIfNeeded();
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      record("build", 1, null);
    }
    vitest("integration (PGlite)", "integration", "integration-pglite.json", { TEST_DB: "pglite" });
    let pg: TPgServer | null = null;
    try {
      pg = await startPgServer();
      vitest("integration (PostgreSQL)", "integration", "integration-postgres.json", { TEST_DB: "postgres", TEST_PG_URL: pg.url, TEST_PG_DIR: pg.dir });
    } catch (error) {
      console.error("PostgreSQL integration run could not start:", error instanceof Error ? error.message : error);
      record("integration (PostgreSQL)", 1, null);
    } finally {
      pg?.stop();
    }
  }
  if (!only || only === "e2e") {
    try {
      ensureChromium();
      const out = path.resolve("e2e/output/results.json");
      fs.rmSync(out, { force: true });
      const code = run("npx", ["playwright", "test"]);
      record("e2e (Chromium)", code, playwrightCounts(out));
    } catch (error) {
      console.error("e2e could not run:", error instanceof Error ? error.message : error);
      record("e2e (Chromium)", 1, null);
    }
  }

  console.log("\n" + lines.join("\n"));
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  process.exit(total.failed > 0 ? 1 : 0);
}

void main();
