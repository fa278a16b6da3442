/** Module resolve hook of record-imports.mjs (runs on the loader thread). */
import fs from "node:fs";

let file = "";
let patterns = [];

export function initialize(data) {
  file = data.file;
  patterns = data.pattern.split(",").filter(Boolean);
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (patterns.some((p) => result.url.includes(p))) fs.appendFileSync(file, `${result.url}\n`);
  return result;
}
