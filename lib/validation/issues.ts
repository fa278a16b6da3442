import type { z } from "zod";
import type { TFieldIssue } from "@/lib/errors";

/** zod issues as `{ path, message }`, unknown keys reported per key, paths optionally prefixed. */
export function zodIssuesOf(error: z.ZodError, prefix?: string): TFieldIssue[] {
  const join = (parts: (string | number)[]) => [prefix, ...parts].filter((p) => p !== undefined && p !== "").join(".");
  return error.issues.flatMap((i) => {
    const path = i.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (i.code === "unrecognized_keys") return i.keys.map((k) => ({ path: join([...path, k]), message: `Unknown field "${k}"` }));
    return [{ path: join(path) || "(body)", message: i.message }];
  });
}
