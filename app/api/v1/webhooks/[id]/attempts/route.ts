import { apiRoute } from "@/lib/http/api";
import { listAttempts } from "@/lib/domain/deliveries";

export const GET = apiRoute<{ id: string }>(async ({ req, actor, params }) => listAttempts({ actor, id: params.id, query: Object.fromEntries(req.nextUrl.searchParams) }));
