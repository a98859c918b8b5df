// npm run processor: one more processor worker in the foreground, with the same configuration as npm start.
// Any number may run, here or on other machines that reach PostgreSQL and NATS. Unlike npm start's worker it opens
// no metrics port unless PROCESSOR_METRICS_PORT is set (workers on one machine need different ones).
import { loadEnv } from './lib/env.mjs';
import { runMain } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { runtimeEnv, serviceArgs } from './lib/service-command.mjs';
import { Supervisor } from './lib/supervisor.mjs';

runMain(async () => {
  loadEnv();
  await ensureInstalled();
  // Only checked: the worker must not own (and later stop) the NATS server everyone else uses.
  await ensureServices({ start: false });
  await ensureBuilt(['@docprocessor/processor']);
  return new Supervisor([{ name: 'processor', args: serviceArgs('processor'), env: runtimeEnv('processor') }]).run();
});
