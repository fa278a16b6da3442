import { apiRoute } from "@/lib/http/api";
import { listMembers } from "@/lib/domain/members";

export const GET = apiRoute(({ actor }) => listMembers({ actor }));
