import { apiRoute } from "@/lib/http/api";
import { listApiKeys } from "@/lib/domain/api-keys";

export const GET = apiRoute(async ({ actor }) => ({ apiKeys: await listApiKeys({ actor }) }));
