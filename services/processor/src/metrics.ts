import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProcessorMetrics {
  registry: Registry;
  rows: Counter<'outcome'>;
  jobs: Counter<'status'>;
  running: Gauge;
}

export function createMetrics(): ProcessorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'docprocessor_processor_' });
  return {
    registry,
    rows: new Counter({ name: 'docprocessor_rows_total', help: 'Data rows processed', labelNames: ['outcome'], registers: [registry] }),
    jobs: new Counter({
      name: 'docprocessor_jobs_finished_total',
      help: 'Jobs that reached a final state',
      labelNames: ['status'],
      registers: [registry],
    }),
    running: new Gauge({ name: 'docprocessor_jobs_running', help: 'Jobs this worker is processing now', registers: [registry] }),
  };
}
