import { Gauge, type Registry } from 'prom-client';
import { DATABASE_METRICS } from '@docprocessor/contracts';
import { connectionStats } from '@docprocessor/db';

/** docprocessor_db_connections{state}: read from the sockets at each scrape. */
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
