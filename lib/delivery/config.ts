/** Delivery settings derived from the validated environment. */
import { getEnv } from "@/lib/env";
import type { AllowPrivate } from "./url-policy";

let override: AllowPrivate | undefined;

/** DELIVERY_ALLOW_PRIVATE: "" → refuse private targets; "1"/"true" → allow all; else a CIDR list. */
export function deliveryAllowPrivate(): AllowPrivate {
  if (override !== undefined) return override;
  const raw = getEnv().DELIVERY_ALLOW_PRIVATE.trim();
  if (!raw || ["0", "false", "off", "no"].includes(raw)) return false;
  if (["1", "true", "on", "yes"].includes(raw)) return true;
  return raw.split(",").map((s) => s.trim()).filter(Boolean);
}

/** Tests prove the guard with it off and use local receivers with it on. */
export function setDeliveryAllowPrivate(value: AllowPrivate | undefined): void {
  override = value;
}

export const USER_AGENT = "Hookyard/0.1";
export const SIGNING_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
