import type { z } from "zod";
import type { TFieldIssue } from "@/lib/errors";

/** A readable field path: `data.alert_name`, `customHeaders.0.value`, `data[" odd key"]`. */
export function formatPath(parts: readonly (string | number)[]): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number" || /^[A-Za-z_$][\w$-]*$/.test(part) || /^\d+$/.test(part)) out += out ? `.${part}` : String(part);
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** zod issues as `{ path, message }`, unknown keys reported per key, paths optionally prefixed. */
export function zodIssuesOf(error: z.ZodError, prefix?: string): TFieldIssue[] {
  const base = prefix ? [prefix] : [];
  return error.issues.flatMap((i) => {
    const path = [...base, ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: formatPath([...path, k]), message: `Unknown field ${JSON.stringify(k)}` }));
    return [{ path: formatPath(path) || "(body)", message: i.message }];
  });
}
