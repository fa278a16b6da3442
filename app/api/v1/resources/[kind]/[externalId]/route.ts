import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute, parseOrThrow, readJson } from "@/lib/http/api";
import { deleteResource, getResource, upsertResource } from "@/lib/domain/resources";
import { ZResourceExternalId, ZResourceKind, ZUpsertResourceBody } from "@/lib/validation/resource";

type TParams = { kind: string; externalId: string };
const ZParams = z.object({ kind: ZResourceKind, externalId: ZResourceExternalId });

export const GET = apiRoute<TParams>(async ({ actor, params }) => {
  const p = parseOrThrow(ZParams, params, "Path");
  return { resource: await getResource({ actor, ...p }) };
});

export const PUT = apiRoute<TParams>(async ({ req, actor, params }) => {
  const p = parseOrThrow(ZParams, params, "Path");
  const body = parseOrThrow(ZUpsertResourceBody, await readJson(req), "Body");
  const { resource, created } = await upsertResource({ actor, ...p, name: body.name });
  return NextResponse.json({ resource }, { status: created ? 201 : 200 });
});

export const DELETE = apiRoute<TParams>(async ({ actor, params }) => {
  const p = parseOrThrow(ZParams, params, "Path");
  await deleteResource({ actor, ...p });
  return new NextResponse(null, { status: 204 });
});
