import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'docprocessor_gateway_' });
  const registers = [registry];
  return {
    registry,
    connectedClients: new Gauge({ name: 'docprocessor_gateway_ws_clients', help: 'Open WebSocket clients', registers }),
    framesSent: new Counter({
      name: 'docprocessor_gateway_ws_frames_sent_total',
      help: 'Frames sent to WebSocket clients, by type (event, snapshot, error)',
      labelNames: ['type'],
      registers,
    }),
    framesCoalesced: new Counter({
      name: 'docprocessor_gateway_ws_frames_coalesced_total',
      help: 'Events not sent to a lagging client because a newer event of the same job superseded them',
      registers,
    }),
    fanoutSeconds: new Histogram({
      name: 'docprocessor_gateway_ws_fanout_seconds',
      help: 'Per event: from reading it off NATS to handing it to the last WebSocket client',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    slowClientDisconnects: new Counter({
      name: 'docprocessor_gateway_ws_slow_client_disconnects_total',
      help: 'Clients closed with 1013 because they fell too far behind',
      registers,
    }),
    invalidEvents: new Counter({
      name: 'docprocessor_gateway_invalid_events_total',
      help: 'NATS messages on the events subject that were not valid events (dropped)',
      registers,
    }),
  };
}
