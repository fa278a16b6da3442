import { apiRoute } from "@/lib/http/api";
import { listAuditEntries } from "@/lib/domain/audit-log";

/** The organization's audit log (admins), newest first; filters: userId, apiKeyId, webhookId, action, from, to; keyset pages. */
export const GET = apiRoute(async ({ req, actor }) => listAuditEntries({ actor, query: Object.fromEntries(req.nextUrl.searchParams) }));
