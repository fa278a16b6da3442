import { apiRoute } from "@/lib/http/api";
import { getWebhookDailyStats } from "@/lib/domain/deliveries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({ days: await getWebhookDailyStats({ actor, id: params.id }) }));
