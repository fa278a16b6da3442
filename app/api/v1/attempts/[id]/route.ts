import { apiRoute } from "@/lib/http/api";
import { getAttempt } from "@/lib/domain/deliveries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({ attempt: await getAttempt({ actor, id: params.id }) }));
