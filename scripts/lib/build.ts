/**
 * Builds the app when its sources changed since the last build (a fingerprint
 * of paths, sizes and modification times is kept beside the build).
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = process.cwd();
const STAMP = path.join(ROOT, ".next", "hookyard-build-stamp");
const SOURCES = ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.mjs", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "instrumentation.ts"];
const SKIP = new Set(["node_modules", "generated"]);

function listFiles(p: string, out: string[]): void {
  const full = path.join(ROOT, p);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(full)) if (!SKIP.has(entry)) listFiles(path.join(p, entry), out);
  } else if (!/\.test\.tsx?$/.test(p)) out.push(`${p}:${stat.size}:${stat.mtimeMs}`);
}

function sourceFingerprint(): string {
  const files: string[] = [];
  for (const s of SOURCES) listFiles(s, files);
  return crypto.createHash("sha256").update(files.sort().join("\n")).digest("hex");
}

export function buildIfNeeded(): void {
  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === fingerprint;
  if (built) return;
  console.log("Building the app (first start or sources changed)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("npm run build failed");
  fs.writeFileSync(STAMP, fingerprint);
}
