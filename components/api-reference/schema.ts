/**
 * Reading JSON Schemas of the OpenAPI document for display: $ref resolution,
 * short type labels and constraint lists. Pure (unit-tested beside).
 */
export type TSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  properties?: Record<string, TSchema>;
  required?: string[];
  additionalProperties?: boolean | TSchema;
  items?: TSchema;
  anyOf?: TSchema[];
  oneOf?: TSchema[];
  allOf?: TSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  propertyNames?: TSchema;
};

export type TSchemas = Record<string, TSchema>;

export function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

/** Follows $ref (also a $ref with siblings, e.g. a default) to the component; keeps sibling keywords. */
export function resolveSchema(schema: TSchema, schemas: TSchemas, depth = 0): TSchema {
  if (!schema.$ref || depth > 10) return schema;
  const { $ref, ...siblings } = schema;
  const target = schemas[refName($ref)];
  if (!target) return schema;
  return { ...resolveSchema(target, schemas, depth + 1), ...siblings };
}

/** A nullable schema written as anyOf [X, null]: X and true. */
export function unwrapNullable(schema: TSchema): { schema: TSchema; nullable: boolean } {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants && variants.length === 2 && variants.some((v) => v.type === "null")) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return { schema: { ...rest, ...variants.find((v) => v.type !== "null")! }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

/** "string (uuid)", "array of Webhook", "integer", "one of 5", "any". */
export function typeLabel(schema: TSchema, schemas: TSchemas): string {
  const { schema: s, nullable } = unwrapNullable(schema);
  const suffix = nullable ? " | null" : "";
  if (s.$ref) return refName(s.$ref) + suffix;
  if (s.const !== undefined) return JSON.stringify(s.const) + suffix;
  if (s.enum) return (s.type ? String(s.type) : "enum") + suffix;
  if (s.oneOf || s.anyOf) return `one of ${(s.oneOf ?? s.anyOf)!.length}` + suffix;
  if (s.type === "array") return `array of ${s.items ? typeLabel(s.items, schemas) : "any"}` + suffix;
  if (s.type === "object" && !s.properties && s.additionalProperties && typeof s.additionalProperties === "object") {
    return `map of ${typeLabel(s.additionalProperties, schemas)}` + suffix;
  }
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  return (s.format ? `${type} (${s.format})` : type) + suffix;
}

/** Constraints worth showing: enum values, bounds, lengths, pattern, default. */
export function constraintsOf(schema: TSchema): string[] {
  const { schema: s } = unwrapNullable(schema);
  const out: string[] = [];
  if (s.enum) out.push(`one of: ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (s.minLength !== undefined && s.maxLength !== undefined) out.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.minLength !== undefined) out.push(`at least ${s.minLength} character${s.minLength === 1 ? "" : "s"}`);
  else if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
  if (s.minimum !== undefined && max !== undefined) out.push(`${s.minimum}–${max}`);
  else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  else if (max !== undefined) out.push(`≤ ${max}`);
  if (s.minItems !== undefined && s.minItems > 0) out.push(`at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.pattern) out.push(`pattern ${s.pattern}`);
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** Whether a schema has inner structure worth expanding (object properties, array of objects, variants). */
export function hasChildren(schema: TSchema, schemas: TSchemas): boolean {
  const s = resolveSchema(unwrapNullable(schema).schema, schemas);
  if (s.properties && Object.keys(s.properties).length) return true;
  if (s.oneOf || (s.anyOf && !unwrapNullable(s).nullable)) return true;
  if (s.type === "array" && s.items) return hasChildren(s.items, schemas);
  return false;
}

/** A shell-safe single-quoted string. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** curl for an operation's example request. */
export function curlExample(opts: {
  baseUrl: string;
  method: string;
  path: string;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  auth: "bearer" | "none";
  tokenVariable?: string;
}): string {
  let path = opts.path;
  for (const [k, v] of Object.entries(opts.params ?? {})) path = path.replace(`{${k}}`, encodeURIComponent(String(v)));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const one of Array.isArray(v) ? v : [v]) search.append(k, String(one));
  const qs = search.toString();
  const lines = [`curl -X ${opts.method.toUpperCase()} ${shellQuote(`${opts.baseUrl}${path}${qs ? `?${qs}` : ""}`)}`];
  if (opts.auth === "bearer") lines.push(`  -H "Authorization: Bearer $${opts.tokenVariable ?? "HOOKYARD_API_KEY"}"`);
  if (opts.body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d ${shellQuote(JSON.stringify(opts.body, null, 2))}`);
  }
  return lines.join(" \\\n");
}
