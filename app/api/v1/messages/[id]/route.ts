import { apiRoute } from "@/lib/http/api";
import { getMessage } from "@/lib/domain/deliveries";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => ({ message: await getMessage({ actor, id: params.id }) }));
