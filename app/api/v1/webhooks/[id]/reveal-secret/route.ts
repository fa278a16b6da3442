import { apiRoute } from "@/lib/http/api";
import { revealSigningSecret } from "@/lib/domain/webhooks";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => revealSigningSecret({ actor, id: params.id }));
