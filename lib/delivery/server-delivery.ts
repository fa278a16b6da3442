/**
 * How this server process delivers — a delivery thread, its own event loop,
 * or not at all (npm start's worker process or the cron route deliver) — as
 * instrumentation.ts set it up; GET /api/health reports it.
 */
import { processSingleton } from "@/lib/process-singleton";

export type TServerDelivery = { mode: "thread" | "in-process" | "off"; running: boolean };

const slot = processSingleton("server-delivery", (): { state: TServerDelivery } => ({ state: { mode: "off", running: false } }));

export function getServerDelivery(): TServerDelivery {
  return { ...slot.state };
}

export function setServerDelivery(state: TServerDelivery): void {
  slot.state = state;
}
