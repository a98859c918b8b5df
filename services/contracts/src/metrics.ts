/**
 * Every Prometheus metric the services export, defined once: each service builds its prom-client objects from
 * these entries, `npm run docs` writes the table in docs/operations.md from them, and the Grafana dashboard in
 * infra/grafana is checked against them. Labels stay low-cardinality: never a job id, a tenant or a URL.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
  labelNames: readonly string[];
  buckets?: number[];
}

const define = <const L extends readonly string[]>(
  type: MetricType,
  name: string,
  help: string,
  labelNames: L,
  buckets?: number[],
): MetricDefinition & { labelNames: L } => ({ name, type, help, labelNames, ...(buckets ? { buckets } : {}) });

/** Seconds, from a small file's fraction of a second to a 1 GB file's half hour. */
const JOB_SECONDS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** Seconds a job waits for a worker: zero when one is free, minutes when every slot holds a big file. */
const WAIT_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/** Exported by every service: its own PostgreSQL connections (postgres.js pools and a job's own connections). */
export const DATABASE_METRICS = {
  connections: define(
    'gauge',
    'docprocessor_db_connections',
    "This process's PostgreSQL connections: open, and busy (a query or transaction in flight)",
    ['state'],
  ),
} as const;

/** Exported by ingest (a pending job cancelled before any worker took it) and the processor (every other end). */
const jobsFinished = define(
  'counter',
  'docprocessor_jobs_finished_total',
  'Jobs that reached a final state, by status (completed, failed, cancelled) and template',
  ['status', 'template'],
);

export const INGEST_METRICS = {
  requestDuration: define(
    'histogram',
    'docprocessor_http_request_duration_seconds',
    'HTTP requests by route pattern and status',
    ['method', 'route', 'status'],
    REQUEST_SECONDS,
  ),
  uploadedBytes: define('counter', 'docprocessor_uploaded_bytes_total', 'Bytes of accepted uploads, by template', ['template']),
  jobsCreated: define('counter', 'docprocessor_jobs_created_total', 'Jobs created (uploads, commits of dry runs), by template', [
    'template',
  ]),
  jobsFinished,
} as const;

export const PROCESSOR_METRICS = {
  rows: define('counter', 'docprocessor_rows_total', 'Data rows committed, by outcome (success, failed) and template', [
    'outcome',
    'template',
  ]),
  jobsFinished,
  jobDuration: define(
    'histogram',
    'docprocessor_job_duration_seconds',
    "Seconds from a job's start to its final state, by status and template",
    ['status', 'template'],
    JOB_SECONDS,
  ),
  queueWait: define(
    'histogram',
    'docprocessor_job_queue_wait_seconds',
    "Seconds from a job's creation to its first start by a worker, by template",
    ['template'],
    WAIT_SECONDS,
  ),
  running: define('gauge', 'docprocessor_jobs_running', 'Jobs this worker is processing now', []),
  redeliveries: define(
    'counter',
    'docprocessor_work_redeliveries_total',
    'Work items this worker received again (deliveryCount > 1): a worker died, hung or failed the attempt',
    [],
  ),
  consumerPending: define(
    'gauge',
    'docprocessor_consumer_pending',
    'JetStream consumer messages not yet delivered (sampled from consumer info at each scrape)',
    ['consumer'],
  ),
  consumerAckPending: define(
    'gauge',
    'docprocessor_consumer_ack_pending',
    'JetStream consumer messages delivered and not yet acknowledged (sampled)',
    ['consumer'],
  ),
  consumerRedelivered: define(
    'gauge',
    'docprocessor_consumer_redelivered',
    'JetStream consumer messages delivered more than once and not yet acknowledged (sampled)',
    ['consumer'],
  ),
  webhookAttempts: define(
    'counter',
    'docprocessor_webhook_attempts_total',
    'Webhook delivery attempts by outcome: delivered, retry, dead',
    ['outcome'],
  ),
  webhookAttemptDuration: define(
    'histogram',
    'docprocessor_webhook_attempt_duration_seconds',
    'Seconds a webhook receiver took to answer (or to fail)',
    [],
    REQUEST_SECONDS,
  ),
} as const;

export const GATEWAY_METRICS = {
  clients: define('gauge', 'docprocessor_gateway_ws_clients', 'Open WebSocket clients', []),
  framesSent: define(
    'counter',
    'docprocessor_gateway_ws_frames_sent_total',
    'Frames sent to WebSocket clients, by type (event, snapshot, error)',
    ['type'],
  ),
  framesCoalesced: define(
    'counter',
    'docprocessor_gateway_ws_frames_coalesced_total',
    'Dropped frames: events not sent to a lagging client because a newer event of the same job superseded them',
    [],
  ),
  fanoutSeconds: define(
    'histogram',
    'docprocessor_gateway_ws_fanout_seconds',
    'Per event: from reading it off NATS to handing it to the last WebSocket client',
    [],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  ),
  slowClientDisconnects: define(
    'counter',
    'docprocessor_gateway_ws_slow_client_disconnects_total',
    'Clients closed with 1013 because they fell too far behind',
    [],
  ),
  invalidEvents: define(
    'counter',
    'docprocessor_gateway_invalid_events_total',
    'NATS messages on the events subject that were not valid events (dropped)',
    [],
  ),
} as const;

/** Who exports what, for the docs and the dashboard check; each service also has prom-client's default metrics. */
export const METRIC_CATALOG = {
  ingest: [...Object.values(INGEST_METRICS), ...Object.values(DATABASE_METRICS)],
  processor: [...Object.values(PROCESSOR_METRICS), ...Object.values(DATABASE_METRICS)],
  gateway: [...Object.values(GATEWAY_METRICS), ...Object.values(DATABASE_METRICS)],
} as const satisfies Record<string, readonly MetricDefinition[]>;

/** The prefix of each service's default process metrics (CPU, memory, event loop lag, GC). */
export const DEFAULT_METRICS_PREFIX = {
  ingest: 'docprocessor_ingest_',
  processor: 'docprocessor_processor_',
  gateway: 'docprocessor_gateway_',
} as const satisfies Record<keyof typeof METRIC_CATALOG, string>;
