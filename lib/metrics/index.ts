export { PROMETHEUS_CONTENT_TYPE, renderExposition, type TMetricFamily } from "./exposition";
export { collectMetrics, renderMetrics, METRICS_WINDOW_SECONDS, DURATION_BUCKETS_SECONDS } from "./collect";
export { getQueueStats, type TQueueStats } from "./queue";
export { countIngestedEvent, processCounters } from "./process";
export { authorizeMetrics } from "./auth";
