/**
 * `npm run worker`: runs scripts/worker.ts compiled to one ES module instead
 * of through `--import tsx`, whose TypeScript loader stays resident for the
 * life of the process (~70 MB of an idle worker's RSS, docs/performance.md
 * "Memory"). Plain JavaScript, so it needs no loader itself.
 *
 * The bundle (our sources only: packages stay external and load from
 * node_modules) is built with esbuild — installed with tsx — on the first run
 * and again whenever one of its inputs (or tsconfig.json) changed: a
 * fingerprint of their paths, sizes and modification times is kept beside it
 * in node_modules/.cache/hookyard. If it cannot be built, the worker runs
 * through tsx as before.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { isMainThread } from "node:worker_threads";

// Under load V8 lets the old generation grow to several times what survives a
// collection before it collects again: at 1,500 deliveries/s the worker's peak
// RSS reached 280–310 MB with ~50 MB live. Growing it by at most half of what
// survives bounds the peak near 230–240 MB at no measurable CPU cost
// (docs/performance.md section 14). A flag given on the command line wins. As
// the server's delivery thread (lib/delivery/drivers.ts) it leaves the flags
// alone: they are the whole process's.
if (isMainThread && !process.execArgv.some((a) => a.startsWith("--heap-growing-percent") || a.startsWith("--heap_growing_percent"))) v8.setFlagsFromString("--heap-growing-percent=50");

const ROOT = path.resolve(import.meta.dirname, "..");
const ENTRY = "scripts/worker.ts";
// Inside the project, so the bundle resolves packages from its node_modules.
const OUT_DIR = path.join(ROOT, "node_modules", ".cache", "hookyard");
const BUNDLE = path.join(OUT_DIR, "worker.mjs");
const STAMP = path.join(OUT_DIR, "worker.fingerprint.json");

/** Paths, sizes and mtimes of the files the bundle was built from; null when one is gone. */
function fingerprint(inputs) {
  const parts = [];
  for (const file of [...inputs, "tsconfig.json"].sort()) {
    try {
      const stat = fs.statSync(path.join(ROOT, file));
      parts.push(`${file}:${stat.size}:${stat.mtimeMs}`);
    } catch {
      return null;
    }
  }
  return crypto.createHash("sha256").update(parts.join("\n")).digest("hex");
}

function upToDate() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
    return fs.existsSync(BUNDLE) && stamp.fingerprint !== null && fingerprint(stamp.inputs) === stamp.fingerprint;
  } catch {
    return false;
  }
}

/** Builds into a private directory, then renames into place: workers starting together do not see half a file. */
function build() {
  const esbuild = path.join(ROOT, "node_modules", ".bin", "esbuild");
  if (!fs.existsSync(esbuild)) return false;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(OUT_DIR, "build-"));
  try {
    const result = spawnSync(
      esbuild,
      [ENTRY, "--bundle", "--platform=node", "--format=esm", "--target=node20", "--packages=external", "--log-level=error",
        `--outfile=${path.join(tmp, "worker.mjs")}`, `--metafile=${path.join(tmp, "meta.json")}`],
      { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
    );
    if (result.status !== 0) return false;
    const inputs = Object.keys(JSON.parse(fs.readFileSync(path.join(tmp, "meta.json"), "utf8")).inputs);
    fs.writeFileSync(path.join(tmp, "stamp.json"), JSON.stringify({ inputs, fingerprint: fingerprint(inputs) }));
    fs.renameSync(path.join(tmp, "worker.mjs"), BUNDLE);
    fs.renameSync(path.join(tmp, "stamp.json"), STAMP);
    return true;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function tryBuild() {
  try {
    return build();
  } catch (error) {
    // A read-only node_modules, a full disk…: not a reason to stop the worker.
    console.error(`run-worker: ${error instanceof Error ? error.message : error}`);
    return false;
  }
}

if (upToDate() || tryBuild()) {
  await import(pathToFileURL(BUNDLE).href);
} else {
  console.error(`run-worker: could not compile ${ENTRY}; running it through tsx`);
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(path.join(ROOT, ENTRY)).href);
}
