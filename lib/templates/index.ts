/**
 * Webhook templates — pure (imports only the catalog; nothing from Next.js or Prisma).
 *
 * A template is JSON text whose string literals may contain `#variables` (see `./render` for the rules).
 * - `renderTemplate(template, values, { mode, eventType })` → the exact body text.
 * - `lintTemplate(template, eventTypes)` → Monaco-ready diagnostics (see `./lint` for the codes).
 * - `previewTemplate(template, eventType)` → rendered with the type's sample values.
 * - `payloadJsonSchema(template, eventType)` → JSON Schema 2020-12 of the rendered payload.
 */
export { renderTemplate, formatValue, escapeJsonStringContent, TemplateValueError, type TRenderMode, type TRenderOptions } from "./render";
export { lintTemplate, hasErrors, MAX_TEMPLATE_BYTES, type TDiagnostic, type TDiagnosticCode, type TDiagnosticSeverity } from "./lint";
export { previewTemplate } from "./preview";
export { payloadJsonSchema, TemplateSyntaxError, JSON_SCHEMA_DIALECT, type TJsonSchema } from "./schema";
export { parseJson, type TJsonNode, type TJsonParseError, type TJsonParseResult } from "./json-parser";
