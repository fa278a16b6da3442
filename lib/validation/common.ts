import { z } from "zod";

/** A required string whose messages name the field. */
export function requiredString(field: string, opts: { max: number; min?: number }) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .trim()
    .min(opts.min ?? 1, `${field} must not be empty`)
    .max(opts.max, `${field} must be at most ${opts.max} characters`);
}
