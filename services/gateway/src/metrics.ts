import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRICS_PREFIX, GATEWAY_METRICS as M } from '@docprocessor/contracts';
import { registerConnectionGauge } from '@docprocessor/db/connection-gauge';

/** The gateway's own figures (own registry, so tests can build many apps in one process). */
export interface GatewayMetrics {
  registry: Registry;
  connectedClients: Gauge;
  framesSent: Counter<'type'>;
  framesCoalesced: Counter;
  fanoutSeconds: Histogram;
  slowClientDisconnects: Counter;
  invalidEvents: Counter;
}

/** Built from the catalog in contracts, which the docs and the Grafana dashboard are checked against. */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: DEFAULT_METRICS_PREFIX.gateway });
  registerConnectionGauge(registry);
  const registers = [registry];
  return {
    registry,
    connectedClients: new Gauge({ ...M.clients, registers }),
    framesSent: new Counter({ ...M.framesSent, registers }),
    framesCoalesced: new Counter({ ...M.framesCoalesced, registers }),
    fanoutSeconds: new Histogram({ ...M.fanoutSeconds, registers }),
    slowClientDisconnects: new Counter({ ...M.slowClientDisconnects, registers }),
    invalidEvents: new Counter({ ...M.invalidEvents, registers }),
  };
}
