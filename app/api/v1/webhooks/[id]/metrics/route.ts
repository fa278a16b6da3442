import { apiRoute } from "@/lib/http/api";
import { getWebhookMetrics } from "@/lib/domain/deliveries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({ metrics: await getWebhookMetrics({ actor, id: params.id }) }));
