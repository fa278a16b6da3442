/**
 * Preload for child processes (`node --import ./tests/helpers/record-imports.mjs …`):
 * appends to RECORD_IMPORTS_FILE the URL of every module resolved whose URL
 * contains one of RECORD_IMPORTS_PATTERN (comma-separated) — e.g. whether a worker ever loaded the
 * wasm schema engine, observed from outside the code under test.
 */
import { register } from "node:module";

if (process.env.RECORD_IMPORTS_FILE && process.env.RECORD_IMPORTS_PATTERN) {
  register("./record-imports-hooks.mjs", import.meta.url, {
    data: { file: process.env.RECORD_IMPORTS_FILE, pattern: process.env.RECORD_IMPORTS_PATTERN },
  });
}
