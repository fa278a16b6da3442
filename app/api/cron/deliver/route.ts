import { NextResponse, type NextRequest } from "next/server";
import { authorizeCron, runCronDelivery } from "@/lib/delivery/cron";
import { errorResponse } from "@/lib/http/api";

export const dynamic = "force-dynamic";

/** For platforms with an external scheduler: one bounded delivery pass. */
export async function GET(req: NextRequest) {
  try {
    authorizeCron(req.headers.get("authorization"));
    return NextResponse.json(await runCronDelivery());
  } catch (error) {
    return errorResponse(error);
  }
}
