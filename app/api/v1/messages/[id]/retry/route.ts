import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api";
import { retryMessage } from "@/lib/domain/deliveries";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => NextResponse.json(await retryMessage({ actor, id: params.id }), { status: 202 }));
