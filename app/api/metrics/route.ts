import { type NextRequest } from "next/server";
import { errorResponse } from "@/lib/http/api";
import { authorizeMetrics, PROMETHEUS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape target: `Authorization: Bearer $METRICS_TOKEN`; 404 when METRICS_TOKEN is unset. */
export async function GET(req: NextRequest) {
  try {
    authorizeMetrics(req.headers.get("authorization"));
    return new Response(await renderMetrics(), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
