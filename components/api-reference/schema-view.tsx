"use client";
import { Fragment } from "react";
import { Badge } from "@/components/ui/misc";
import { RichText } from "./rich-text";
import { constraintsOf, hasChildren, refName, resolveSchema, typeLabel, unwrapNullable, type TSchema, type TSchemas } from "./schema";

const MAX_DEPTH = 6;

/** The fields of an object schema as a nested list; variants of a union one by one; arrays by their items. */
export function SchemaView({ schema, schemas, depth = 0 }: { schema: TSchema; schemas: TSchemas; depth?: number }) {
  const s = resolveSchema(unwrapNullable(schema).schema, schemas);
  if (depth > MAX_DEPTH) return <p className="text-xs text-slate-500">…</p>;
  if (s.type === "array" && s.items) {
    const items = s.items;
    if (!hasChildren(items, schemas)) return <p className="text-xs text-slate-600">Array of {typeLabel(items, schemas)}.</p>;
    return (
      <div>
        <p className="mb-1 text-xs text-slate-600">Array of {typeLabel(items, schemas)}, each:</p>
        <SchemaView schema={items} schemas={schemas} depth={depth + 1} />
      </div>
    );
  }
  const variants = s.oneOf ?? (s.anyOf && !unwrapNullable(s).nullable ? s.anyOf : undefined);
  if (variants) {
    return (
      <div className="space-y-2">
        <p className="text-xs text-slate-600">One of:</p>
        <ol className="space-y-2">
          {variants.map((variant, i) => {
            const v = resolveSchema(variant, schemas);
            const discriminator = Object.entries(v.properties ?? {}).find(([, p]) => p.const !== undefined);
            return (
              <li key={i} className="rounded-md border border-slate-200 p-2">
                <p className="mb-1 text-xs font-medium text-slate-700">
                  {discriminator ? <><code className="font-mono">{discriminator[0]}</code> = <code className="font-mono">{JSON.stringify(discriminator[1].const)}</code></> : `Variant ${i + 1}: ${typeLabel(variant, schemas)}`}
                </p>
                {hasChildren(variant, schemas) ? <SchemaView schema={variant} schemas={schemas} depth={depth + 1} /> : null}
              </li>
            );
          })}
        </ol>
      </div>
    );
  }
  const properties = Object.entries(s.properties ?? {});
  if (properties.length === 0) {
    return <p className="text-xs text-slate-600">{typeLabel(s, schemas)}{s.description ? ` — ${s.description}` : ""}</p>;
  }
  const required = new Set(s.required ?? []);
  return (
    <dl className="divide-y divide-slate-100 rounded-md border border-slate-200">
      {properties.map(([name, prop]) => {
        const resolved = resolveSchema(prop, schemas);
        const description = prop.description ?? resolved.description;
        const constraints = constraintsOf(prop.$ref ? { ...resolved, ...prop } : prop);
        const nested = hasChildren(prop, schemas);
        return (
          <div key={name} className="px-3 py-2">
            <dt className="flex flex-wrap items-center gap-2">
              <code className="font-mono text-sm font-semibold text-slate-900">{name}</code>
              <span className="font-mono text-xs text-brand-700">{typeLabel(prop, schemas)}</span>
              {required.has(name) ? <Badge tone="amber">required</Badge> : <span className="text-xs text-slate-400">optional</span>}
            </dt>
            <dd className="mt-1 space-y-1 text-xs text-slate-600">
              {description && <p><RichText text={description} /></p>}
              {constraints.length > 0 && (
                <p>
                  {constraints.map((c, i) => (
                    <Fragment key={c}>
                      {i > 0 && " · "}
                      <span className="break-all">{c}</span>
                    </Fragment>
                  ))}
                </p>
              )}
              {nested && (
                <details className="group mt-1" open={depth === 0 && !prop.$ref && !unwrapNullable(prop).schema.$ref}>
                  <summary className="cursor-pointer select-none text-xs font-medium text-brand-700">
                    {prop.$ref || unwrapNullable(prop).schema.$ref ? `Fields of ${refName((prop.$ref ?? unwrapNullable(prop).schema.$ref)!)}` : "Fields"}
                  </summary>
                  <div className="mt-2 pl-3">
                    <SchemaView schema={prop} schemas={schemas} depth={depth + 1} />
                  </div>
                </details>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
