import { apiRoute, parseOrThrow } from "@/lib/http/api";
import { templateGallery, ZGalleryQuery } from "@/lib/gallery";

/** Templates to start a webhook from (Slack, Teams, Power Automate, generic), per event type. */
export const GET = apiRoute(async ({ req }) => {
  const query = parseOrThrow(ZGalleryQuery, Object.fromEntries(req.nextUrl.searchParams), "Query");
  return templateGallery(query);
});
