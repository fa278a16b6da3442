import { NextResponse } from "next/server";
import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { createWebhook, listWebhooks } from "@/lib/domain/webhooks";
import { ZWebhookListQuery } from "@/lib/validation/webhook";

export const GET = apiRoute(async ({ req, actor }) => {
  const query = parseOrThrow(ZWebhookListQuery, Object.fromEntries(req.nextUrl.searchParams), "Query");
  return { webhooks: await listWebhooks({ actor, ...query }) };
});

/** Creates a webhook (disabled unless "enabled": true); the signing secret is in this response only. */
export const POST = apiRoute(async ({ req, actor }) => {
  const result = await createWebhook({ actor, input: await readJson(req) });
  return NextResponse.json(result, { status: 201 });
});
