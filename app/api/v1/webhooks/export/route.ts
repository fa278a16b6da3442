import { apiRoute } from "@/lib/http/api";
import { exportWebhooks } from "@/lib/domain/transfer";

/** `{ "version": 1, "webhooks": [...] }` of the organization's webhooks (`?id=` repeated for some), without secrets. */
export const GET = apiRoute(async ({ req, actor }) => {
  const ids = req.nextUrl.searchParams.getAll("id");
  const unknown = [...req.nextUrl.searchParams.keys()].filter((k) => k !== "id");
  return exportWebhooks({ actor, query: { ...Object.fromEntries(unknown.map((k) => [k, req.nextUrl.searchParams.get(k)])), ...(ids.length ? { id: ids } : {}) } });
});
