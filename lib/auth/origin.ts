/**
 * Server actions are POSTs from our own pages. A request whose Origin is
 * missing, "null" (sandboxed frames, file: pages) or another site is refused,
 * on top of Next.js's own check. Pure: the caller passes the headers.
 */
export function isTrustedActionOrigin(opts: { origin: string | null; host: string | null; forwardedHost?: string | null; appUrl: string }): boolean {
  const { origin } = opts;
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    originHost = url.host.toLowerCase();
  } catch {
    return false;
  }
  const allowed = new Set<string>();
  for (const h of [opts.forwardedHost, opts.host]) if (h) allowed.add(h.split(",")[0]!.trim().toLowerCase());
  try {
    allowed.add(new URL(opts.appUrl).host.toLowerCase());
  } catch {
    /* APP_URL is validated in env.ts */
  }
  return allowed.has(originHost);
}
