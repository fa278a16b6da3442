import { apiRoute } from "@/lib/http/api";
import { catalogAsJson } from "@/lib/catalog";

export const GET = apiRoute(async () => ({ eventTypes: catalogAsJson() }));
