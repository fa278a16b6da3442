/** Module resolve hook of record-imports.mjs (runs on the loader thread). */
import fs from "node:fs";

let file = "";
let pattern = "";

export function initialize(data) {
  file = data.file;
  pattern = data.pattern;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (result.url.includes(pattern)) fs.appendFileSync(file, `${result.url}\n`);
  return result;
}
