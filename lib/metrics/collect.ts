/**
 * What GET /api/metrics reports. Everything but the process counters is read
 * from the database at scrape time, so every app or worker process answers
 * the same and one scrape target (the load balancer) is enough.
 *
 * Windowed series (`…_5m`, the duration histogram) cover the attempts and
 * events of the last METRICS_WINDOW_SECONDS: they are gauges over a sliding
 * window (the retention purge would make database-derived counters go
 * backwards), so query them as they are, without rate():
 *   histogram_quantile(0.95, sum by (le) (hookyard_delivery_attempt_duration_seconds_bucket))
 */
import { getDb } from "@/lib/db/client";
import { renderExposition, type TMetricFamily } from "./exposition";
import { getQueueStats } from "./queue";
import { processCounters } from "./process";

export const METRICS_WINDOW_SECONDS = 300;
/** Upper bounds of the attempt duration histogram, in seconds. */
export const DURATION_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60] as const;
/** Scrapes within this many milliseconds share one set of queries (several scrapers, one database). */
const CACHE_MS = 5_000;

let cache: { at: number; text: string } | null = null;

async function attemptStats(since: Date) {
  const bucketSql = DURATION_BUCKETS_SECONDS.map((b, i) => `count(*) FILTER (WHERE "durationMs" <= ${Math.round(b * 1000)})::int AS b${i}`).join(",\n            ");
  const [row] = await getDb().$queryRawUnsafe<Record<string, number | null>[]>(
    `SELECT count(*) FILTER (WHERE "success")::int AS succeeded,
            count(*) FILTER (WHERE NOT "success" AND "nextAttemptAt" IS NOT NULL)::int AS retrying,
            count(*) FILTER (WHERE NOT "success" AND "nextAttemptAt" IS NULL)::int AS failed,
            count(*)::int AS n,
            coalesce(sum("durationMs"), 0)::float8 AS sum_ms,
            ${bucketSql}
       FROM "Attempt"
      WHERE "startedAt" >= $1 AND "trigger" <> 'TEST'`,
    since,
  );
  const num = (key: string) => Number(row?.[key] ?? 0);
  return {
    succeeded: num("succeeded"),
    retrying: num("retrying"),
    failed: num("failed"),
    count: num("n"),
    sumSeconds: num("sum_ms") / 1000,
    buckets: DURATION_BUCKETS_SECONDS.map((_, i) => num(`b${i}`)),
  };
}

async function ingestStats(since: Date) {
  const [row] = await getDb().$queryRawUnsafe<{ events: number; messages: number }[]>(
    `SELECT (SELECT count(*) FROM "Event" WHERE "createdAt" >= $1)::int AS events,
            (SELECT count(*) FROM "Message" WHERE "createdAt" >= $1)::int AS messages`,
    since,
  );
  return { events: Number(row?.events ?? 0), messages: Number(row?.messages ?? 0) };
}

async function webhookStats() {
  const [row] = await getDb().$queryRawUnsafe<{ enabled: number; disabled: number; auto_disabled: number }[]>(
    `SELECT count(*) FILTER (WHERE "enabled")::int AS enabled,
            count(*) FILTER (WHERE NOT "enabled" AND "disabledReason" IS NULL)::int AS disabled,
            count(*) FILTER (WHERE NOT "enabled" AND "disabledReason" IS NOT NULL)::int AS auto_disabled
       FROM "Webhook"`,
  );
  return { enabled: Number(row?.enabled ?? 0), disabled: Number(row?.disabled ?? 0), autoDisabled: Number(row?.auto_disabled ?? 0) };
}

/** The metric families at `now` (installation-wide: all organizations). */
export async function collectMetrics(opts: { now?: Date } = {}): Promise<TMetricFamily[]> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - METRICS_WINDOW_SECONDS * 1000);
  const [queue, attempts, ingest, webhooks] = await Promise.all([getQueueStats({ now }), attemptStats(since), ingestStats(since), webhookStats()]);
  const proc = processCounters();
  const window = `${METRICS_WINDOW_SECONDS / 60} minutes`;
  return [
    {
      name: "hookyard_delivery_attempts_5m",
      help: `Delivery attempts recorded in the last ${window} by outcome (succeeded; failed and retrying later; failed for good). Test sends excluded.`,
      type: "gauge",
      samples: [
        { labels: { outcome: "succeeded" }, value: attempts.succeeded },
        { labels: { outcome: "retrying" }, value: attempts.retrying },
        { labels: { outcome: "failed" }, value: attempts.failed },
      ],
    },
    {
      name: "hookyard_delivery_attempt_duration_seconds",
      help: `Duration of the delivery attempts of the last ${window} (sliding window: use without rate()). Test sends excluded.`,
      type: "histogram",
      samples: [{ buckets: DURATION_BUCKETS_SECONDS, counts: attempts.buckets, sum: attempts.sumSeconds, count: attempts.count }],
    },
    {
      name: "hookyard_queue_depth",
      help: "Messages in the delivery queue: due now, scheduled for later (retries, batching), being sent.",
      type: "gauge",
      samples: [
        { labels: { state: "due" }, value: queue.due },
        { labels: { state: "scheduled" }, value: queue.scheduled },
        { labels: { state: "in_progress" }, value: queue.inProgress },
      ],
    },
    {
      name: "hookyard_queue_oldest_due_age_seconds",
      help: "Age of the oldest due PENDING message (delivery lag); 0 when nothing is due.",
      type: "gauge",
      samples: [{ value: queue.lagSeconds }],
    },
    {
      name: "hookyard_events_ingested_5m",
      help: `Events stored in the last ${window} (divide by ${METRICS_WINDOW_SECONDS} for the ingest rate per second).`,
      type: "gauge",
      samples: [{ value: ingest.events }],
    },
    {
      name: "hookyard_messages_enqueued_5m",
      help: `Messages created (one per matching webhook and event) in the last ${window}.`,
      type: "gauge",
      samples: [{ value: ingest.messages }],
    },
    {
      name: "hookyard_webhooks",
      help: "Webhooks by state (auto_disabled: turned off by Hookyard after consecutive failures).",
      type: "gauge",
      samples: [
        { labels: { state: "enabled" }, value: webhooks.enabled },
        { labels: { state: "disabled" }, value: webhooks.disabled },
        { labels: { state: "auto_disabled" }, value: webhooks.autoDisabled },
      ],
    },
    {
      name: "hookyard_process_events_ingested_total",
      help: "Events ingested by this process since it started (per process: scrape each process to sum them).",
      type: "counter",
      samples: [{ value: proc.eventsIngested }],
    },
    {
      name: "hookyard_process_start_time_seconds",
      help: "Start time of this process since the Unix epoch.",
      type: "gauge",
      samples: [{ value: proc.startedAtSeconds }],
    },
    {
      name: "hookyard_metrics_scrape_duration_seconds",
      help: "Time the database queries of this scrape took.",
      type: "gauge",
      samples: [{ value: Math.round(performance.now() - started) / 1000 }],
    },
  ];
}

/** The exposition text, shared by scrapes within a few seconds of each other. */
export async function renderMetrics(opts: { now?: Date; fresh?: boolean } = {}): Promise<string> {
  const at = Date.now();
  if (!opts.fresh && !opts.now && cache && at - cache.at < CACHE_MS) return cache.text;
  const text = renderExposition(await collectMetrics({ now: opts.now }));
  if (!opts.now) cache = { at, text };
  return text;
}
