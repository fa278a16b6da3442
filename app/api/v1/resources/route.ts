import { apiRoute, parseOrThrow } from "@/lib/http/api";
import { listResources } from "@/lib/domain/resources";
import { ZResourceQuery } from "@/lib/validation/resource";

export const GET = apiRoute(async ({ req, actor }) => {
  const query = parseOrThrow(ZResourceQuery, Object.fromEntries(req.nextUrl.searchParams), "Query");
  return { resources: await listResources({ actor, ...query }) };
});
