import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: IngestMetrics;
  }
}

export interface IngestMetrics {
  registry: Registry;
  uploadedBytes: Counter;
  jobsCreated: Counter<'template'>;
}

/** Prometheus metrics of this process at GET /metrics (its own registry, so tests can build many apps). */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'docprocessor_ingest_' });
    const requests = new Histogram({
      name: 'docprocessor_http_request_duration_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    const metrics: IngestMetrics = {
      registry,
      uploadedBytes: new Counter({ name: 'docprocessor_uploaded_bytes_total', help: 'Bytes of accepted uploads', registers: [registry] }),
      jobsCreated: new Counter({
        name: 'docprocessor_jobs_created_total',
        help: 'Jobs created',
        labelNames: ['template'],
        registers: [registry],
      }),
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
