import { NextResponse } from "next/server";
import { apiRoute, readJson } from "@/lib/http/api";
import { ingestEvent } from "@/lib/delivery/ingest";
import { MAX_EVENT_BYTES } from "@/lib/validation/event";

/** The platform reports an event: 202 { id, duplicate, messages }. */
export const POST = apiRoute(async ({ req, actor }) => {
  const body = (await readJson(req, MAX_EVENT_BYTES)) as Record<string, unknown>;
  const depth = req.headers.get("x-hookyard-causation-depth");
  if (depth !== null && body && typeof body === "object" && body.causationDepth === undefined && /^\d{1,4}$/.test(depth)) body.causationDepth = Number(depth);
  return NextResponse.json(await ingestEvent({ actor, input: body }), { status: 202 });
});
