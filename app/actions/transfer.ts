"use server";
/**
 * Server actions of the import page: preview (dry run) and commit. The
 * domain functions parse the request with ZImportRequest themselves, as the
 * REST route POST /api/v1/webhooks/import does.
 */
import { z } from "zod";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/http/action";
import { importWebhooks, previewWebhookImport } from "@/lib/domain/transfer";

const ZAny = z.unknown();

export async function previewImportAction(input: unknown) {
  return runAction(ZAny, input, ({ actor, input }) => previewWebhookImport({ actor, input }));
}

export async function importWebhooksAction(input: unknown) {
  return runAction(ZAny, input, async ({ actor, input }) => {
    const result = await importWebhooks({ actor, input: { ...(input as object), mode: "commit" } });
    revalidatePath("/webhooks");
    return result;
  });
}
