import { Gauge, type Registry } from 'prom-client';
import { DATABASE_METRICS } from '@docprocessor/contracts';
import { connectionStats } from './connection-stats.js';

/**
 * docprocessor_db_connections{state}: read from the sockets at each scrape. A subpath of its own
 * (`@docprocessor/db/connection-gauge`), so only the services that export metrics load prom-client.
 */
export function registerConnectionGauge(registry: Registry): void {
  new Gauge({
    ...DATABASE_METRICS.connections,
    registers: [registry],
    collect() {
      const stats = connectionStats();
      this.set({ state: 'open' }, stats.open);
      this.set({ state: 'busy' }, stats.busy);
    },
  });
}
