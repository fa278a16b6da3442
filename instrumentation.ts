/** Next.js start-up hook: the in-process delivery loop runs with the Node.js server. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerDeliveryLoop } = await import("./lib/delivery/drivers");
  startServerDeliveryLoop();
}
