import { NextResponse } from "next/server";
import { getOpenApiDocument } from "@/lib/openapi";
import { errorResponse } from "@/lib/http/api";

/** The OpenAPI 3.1 document of this API (public: it describes the API, it holds no data). */
export async function GET() {
  try {
    return NextResponse.json(getOpenApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
  } catch (error) {
    return errorResponse(error);
  }
}
