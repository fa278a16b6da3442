import { apiRoute } from "@/lib/http/api";
import { listAuditFacets } from "@/lib/domain/audit-log";

/** The audit page's filter options: actors, webhooks (deleted ones too) and actions present in the log. */
export const GET = apiRoute(async ({ actor }) => listAuditFacets({ actor }));
