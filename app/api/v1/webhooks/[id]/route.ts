import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/http/api";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/domain/webhooks";

type P = { id: string };

export const GET = apiRoute<P>(async ({ actor, params }) => ({ webhook: await getWebhook({ actor, id: params.id }) }));

export const PATCH = apiRoute<P>(async ({ req, actor, params }) => ({ webhook: await updateWebhook({ actor, id: params.id, input: await readJson(req) }) }));

export const DELETE = apiRoute<P>(async ({ actor, params }) => {
  await deleteWebhook({ actor, id: params.id });
  return new NextResponse(null, { status: 204 });
});
