/**
 * Channel options for the clients of metric-store (stream-ingest's writer, health-engine's and the exporter's
 * subscriptions), which must be back soon after it restarts. grpc-js backs reconnects off up to 120 s by default and
 * fails calls at once ("No connection established") meanwhile: after a metric-store restart that took 79 s (1000
 * hosts × 200 charts, `npm run bench:topology`), the exporter then stayed away for minutes more.
 */
export const PROMPT_RECONNECT_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 2000,
} as const;
