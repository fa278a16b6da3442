/**
 * The embedded database (PGlite, in memory, in this process), run as a child
 * of scripts/bench.ts so its memory and process-wide client stay apart:
 * delivery throughput with the production loop in process, the fan-out, and
 * the console queries (smaller attempt log: PGlite is single-connection WASM).
 *
 * IPC: { cmd: "run", receiverUrl, deliveryMessages, webhooks, concurrency,
 * perEndpoint, fanoutWebhooks, consoleAttempts } → { cmd: "run", ...results }.
 */
process.env.DELIVERY_ALLOW_PRIVATE = "1";
process.env.LOG_LEVEL ??= "warn";
delete process.env.DATABASE_URL;

type TRun = { receiverUrl: string; deliveryMessages: number; webhooks: number; concurrency: number; perEndpoint: number; fanoutWebhooks: number; consoleAttempts: number };

async function run(o: TRun) {
  const { openDb, createOrgActor } = await import("./db");
  const { getDb, closeDb } = await import("@/lib/db/client");
  const { startDeliveryLoop } = await import("@/lib/delivery/loop");
  const { closeHttpAgents } = await import("@/lib/delivery/http");
  const { seedDeliveryRun, releaseMessages, runFanout, seedConsoleData, runConsoleQueries } = await import("./scenarios");
  const { log, round, sampleMemory, until, cpuSeconds } = await import("./lib");
  const out: Record<string, unknown> = {};

  // Delivery: the production loop (the one `npm start` runs on PGlite) in this process.
  await openDb({ kind: "pglite", dir: null });
  const actor = await createOrgActor("PGlite Delivery Org");
  const { webhookIds } = await seedDeliveryRun({ actor, receiverUrl: o.receiverUrl, webhooks: o.webhooks, n: o.deliveryMessages });
  const loop = startDeliveryLoop({ concurrency: o.concurrency, perWebhookConcurrency: o.perEndpoint, pollMs: 1000 });
  await new Promise((r) => setTimeout(r, 500));
  const mem = sampleMemory(process.pid);
  const cpu0 = cpuSeconds(process.pid);
  const t0 = await releaseMessages(webhookIds);
  const { wakeDeliveryLoops } = await import("@/lib/delivery/wake");
  wakeDeliveryLoops();
  log(`pglite delivery: ${o.deliveryMessages} messages released`);
  await until(async () => (await getDb().message.count({ where: { webhookId: { in: webhookIds }, status: "SUCCEEDED" } })) >= o.deliveryMessages, 15 * 60_000, "PGlite delivery", 250);
  const ms = Date.now() - t0;
  const cpu = cpuSeconds(process.pid) - cpu0;
  await loop.stop();
  const attempts = await getDb().attempt.count({ where: { webhookId: { in: webhookIds } } });
  out.delivery = { messages: o.deliveryMessages, webhooks: o.webhooks, concurrency: o.concurrency, perEndpoint: o.perEndpoint, ms, perSecond: round((o.deliveryMessages * 1000) / ms, 0), attempts, processRss: mem.stop(), cpuCores: round(cpu / (ms / 1000), 2) };
  log(`pglite delivery: ${(out.delivery as { perSecond: number }).perSecond} messages/s`);
  await closeHttpAgents();

  // Fan-out and console queries on a fresh in-memory database.
  await closeDb();
  await openDb({ kind: "pglite", dir: null });
  out.fanout = await runFanout({ webhooks: o.fanoutWebhooks, receiverUrl: o.receiverUrl, runs: 5 });
  log(`pglite fan-out to ${o.fanoutWebhooks}: ${(out.fanout as { median: number }).median} ms`);
  log(`pglite console: seeding ${o.consoleAttempts} attempts`);
  const seed = await seedConsoleData({ attempts: o.consoleAttempts, receiverUrl: o.receiverUrl });
  out.consoleSeed = { attempts: seed.attempts, messages: seed.messages, seedMs: seed.seedMs };
  out.console = await runConsoleQueries(seed, 3);
  out.peakRssMb = (await import("./lib")).readMemory(process.pid)?.peakMb;
  await closeDb();
  return out;
}

process.on("message", (m: { cmd: string } & TRun) => {
  if (m.cmd !== "run") return;
  run(m).then(
    (r) => process.send?.({ cmd: "run", ...r }),
    (error: unknown) => process.send?.({ cmd: "run", error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ cmd: "ready" });
