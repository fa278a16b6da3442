import { apiRoute } from "@/lib/http/api";
import { setWebhookEnabled } from "@/lib/domain/webhooks";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => ({ webhook: await setWebhookEnabled({ actor, id: params.id, enabled: true }) }));
