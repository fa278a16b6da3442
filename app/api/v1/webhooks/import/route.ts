import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/http/api";
import { importWebhooks, previewWebhookImport } from "@/lib/domain/transfer";

const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

/** `mode: "preview"` (default): what would be created, per webhook errors and warnings. `mode: "commit"`: create them, disabled (201). */
export const POST = apiRoute(async ({ req, actor }) => {
  const body = await readJson(req, MAX_IMPORT_BYTES);
  const mode = body && typeof body === "object" ? (body as { mode?: unknown }).mode : undefined;
  if (mode === "commit") return NextResponse.json(await importWebhooks({ actor, input: body }), { status: 201 });
  return { preview: await previewWebhookImport({ actor, input: body }) };
});
