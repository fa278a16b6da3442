/**
 * Webhook export / import documents. An exported webhook is the create
 * schema's fields without `enabled` (imports are created disabled) and
 * without secrets (the signing secret is generated on import; endpoint
 * secrets may be added to the document before importing, else the webhook is
 * imported without endpoint authentication). Resources are referenced by
 * their external id.
 */
import { z } from "zod";
import { ZWebhookCreate, checkWebhookCrossFields } from "./webhook";
import { ZResourceExternalId, ZResourceKind } from "./resource";

export const TRANSFER_VERSION = 1;
export const MAX_IMPORT_WEBHOOKS = 500;

const { enabled: _enabled, ...exportedFields } = ZWebhookCreate.shape;

/** One webhook of an export document (also what an import validates each item with). */
export const ZExportedWebhook = z.strictObject(exportedFields).superRefine((v, ctx) => checkWebhookCrossFields(v, ctx));
export type TExportedWebhookInput = z.input<typeof ZExportedWebhook>;

export const ZExportedResource = z.strictObject({ kind: ZResourceKind, externalId: ZResourceExternalId, name: z.string().max(200) });

const envelope = {
  version: z.literal(TRANSFER_VERSION, { error: () => `version must be ${TRANSFER_VERSION} (this Hookyard reads export format ${TRANSFER_VERSION})` }),
  exportedAt: z.iso.datetime({ offset: true }).optional(),
  source: z.strictObject({ organization: z.string().max(200) }).optional(),
  /** The resources the webhooks reference (for the reader: an import resolves external ids in the target organization). */
  resources: z.array(ZExportedResource).max(10_000).default([]),
};

/** GET /api/v1/webhooks/export: `{ "version": 1, "webhooks": [...] }`. */
export const ZExportDocument = z.strictObject({
  ...envelope,
  webhooks: z.array(ZExportedWebhook).max(MAX_IMPORT_WEBHOOKS),
});
export type TExportDocument = z.input<typeof ZExportDocument>;

/** Each item is an ExportedWebhook, validated one by one so that a preview lists every webhook's problems. */
export const ZImportWebhookItem = z.unknown();

export const ZImportDocument = z.strictObject({
  ...envelope,
  webhooks: z.array(ZImportWebhookItem).min(1, "The document has no webhooks").max(MAX_IMPORT_WEBHOOKS, `At most ${MAX_IMPORT_WEBHOOKS} webhooks per import`),
});

/** Body of POST /api/v1/webhooks/import. */
export const ZImportRequest = z.strictObject({
  /** preview: a dry run that creates nothing; commit: create the webhooks (disabled). */
  mode: z.enum(["preview", "commit"], { error: () => 'mode must be "preview" or "commit"' }).default("preview"),
  document: ZImportDocument,
  /** Indexes of document.webhooks to import; all of them when omitted. */
  include: z.array(z.number().int().min(0)).max(MAX_IMPORT_WEBHOOKS).optional(),
});
export type TImportRequest = z.input<typeof ZImportRequest>;

/** Query of GET /api/v1/webhooks/export: `id` repeated, or none for every webhook. */
export const ZExportQuery = z.strictObject({
  id: z.array(z.string().uuid("id must be a webhook id (UUID)")).max(MAX_IMPORT_WEBHOOKS).optional(),
});
