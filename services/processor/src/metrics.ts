import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRICS_PREFIX, PROCESSOR_METRICS as M } from '@docprocessor/contracts';
import type { ImportJobRow } from '@docprocessor/db';
import { registerConnectionGauge } from '@docprocessor/db/connection-gauge';

/** What the consumer gauges show: one JetStream consumer's counts, read from its info. */
export interface ConsumerSample {
  consumer: string;
  pending: number;
  ackPending: number;
  redelivered: number;
}

export interface ProcessorMetrics {
  registry: Registry;
  rows: Counter<'outcome' | 'template'>;
  jobsFinished: Counter<'status' | 'template'>;
  jobDuration: Histogram<'status' | 'template'>;
  queueWait: Histogram<'template'>;
  running: Gauge;
  redeliveries: Counter;
  webhookAttempts: Counter<'outcome'>;
  webhookAttemptDuration: Histogram;
  /** Set once the bus is connected: read at each scrape, so the consumer figures are as fresh as the scrape. */
  sampleConsumers: (() => Promise<ConsumerSample[]>) | null;
}

/** The worker's metrics, built from the catalog in contracts (own registry, so tests can make many). */
export function createMetrics(): ProcessorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: DEFAULT_METRICS_PREFIX.processor });
  const registers = [registry];
  registerConnectionGauge(registry);
  const metrics: ProcessorMetrics = {
    registry,
    rows: new Counter({ ...M.rows, registers }),
    jobsFinished: new Counter({ ...M.jobsFinished, registers }),
    jobDuration: new Histogram({ ...M.jobDuration, registers }),
    queueWait: new Histogram({ ...M.queueWait, registers }),
    running: new Gauge({ ...M.running, registers }),
    redeliveries: new Counter({ ...M.redeliveries, registers }),
    webhookAttempts: new Counter({ ...M.webhookAttempts, registers }),
    webhookAttemptDuration: new Histogram({ ...M.webhookAttemptDuration, registers }),
    sampleConsumers: null,
  };
  // The three consumer gauges are collected at once at each scrape: they share one read of the consumers' info.
  let sampling: Promise<ConsumerSample[]> | null = null;
  const sample = () => {
    sampling ??= (metrics.sampleConsumers?.() ?? Promise.resolve([])).finally(() => (sampling = null));
    return sampling;
  };
  const consumerGauge = (definition: typeof M.consumerPending, field: 'pending' | 'ackPending' | 'redelivered') =>
    new Gauge({
      ...definition,
      registers,
      async collect() {
        for (const s of await sample()) this.set({ consumer: s.consumer }, s[field]);
      },
    });
  consumerGauge(M.consumerPending, 'pending');
  consumerGauge(M.consumerAckPending, 'ackPending');
  consumerGauge(M.consumerRedelivered, 'redelivered');
  return metrics;
}

/** A job this worker brought to a final state: counted by status and template, timed from its start. */
export function recordFinished(metrics: ProcessorMetrics, job: ImportJobRow): void {
  const labels = { status: job.status, template: job.template };
  metrics.jobsFinished.inc(labels);
  if (job.startedAt && job.finishedAt) metrics.jobDuration.observe(labels, (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
}

/** A first start only: a retry or a takeover keeps the job's creation time, which would read as a long wait. */
export function recordStarted(metrics: ProcessorMetrics, job: ImportJobRow): void {
  if (job.attempt === 1 && job.startedAt)
    metrics.queueWait.observe({ template: job.template }, Math.max(0, job.startedAt.getTime() - job.createdAt.getTime()) / 1000);
}
