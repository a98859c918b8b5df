import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRICS_PREFIX, INGEST_METRICS as M } from '@docprocessor/contracts';
import { registerConnectionGauge } from '@docprocessor/db/connection-gauge';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: IngestMetrics;
  }
}

export interface IngestMetrics {
  registry: Registry;
  uploadedBytes: Counter<'template'>;
  jobsCreated: Counter<'template'>;
  /** Only the jobs ingest ends: a pending job cancelled before any worker took it (the processor counts the rest). */
  jobsFinished: Counter<'status' | 'template'>;
}

/**
 * Prometheus metrics of this process at GET /metrics (its own registry, so tests can build many apps), built from
 * the catalog in contracts.
 */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: DEFAULT_METRICS_PREFIX.ingest });
    registerConnectionGauge(registry);
    const registers = [registry];
    const requests = new Histogram({ ...M.requestDuration, registers });
    const metrics: IngestMetrics = {
      registry,
      uploadedBytes: new Counter({ ...M.uploadedBytes, registers }),
      jobsCreated: new Counter({ ...M.jobsCreated, registers }),
      jobsFinished: new Counter({ ...M.jobsFinished, registers }),
    };
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      requests.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  },
  { name: 'metrics' },
);
