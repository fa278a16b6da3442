import { apiRoute } from "@/lib/http/api";
import { listNotifications } from "@/lib/domain/notifications";

export const GET = apiRoute(({ actor }) => listNotifications({ actor }));
