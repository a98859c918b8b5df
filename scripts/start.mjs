// npm start: everything DocProcessor needs, in order, then the three services in the foreground.
import { announceWhenUp } from './lib/banner.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { prepareDatabase } from './lib/database.mjs';
import { loadEnv } from './lib/env.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { runMain } from './lib/log.mjs';
import { loadContracts, readScriptConfig } from './lib/script-config.mjs';
import { runtimeEnv, serviceArgs } from './lib/service-command.mjs';
import { Supervisor } from './lib/supervisor.mjs';

runMain(async () => {
  loadEnv();
  await ensureInstalled();
  // Read through the schemas, so it needs the contracts built: after the install, before anything else.
  const config = await readScriptConfig('StartEnv');
  const backing = await ensureServices({ databaseUrls: [config.DATABASE_URL], natsUrls: config.NATS_URL });
  try {
    await ensureBuilt(['@docprocessor/db']);
    await prepareDatabase(config.DATABASE_URL);
    await ensureBuilt();
  } catch (error) {
    await backing.stop();
    throw error;
  }
  // The services get only what is set (they apply their own defaults); the one exception is StartEnv's metrics
  // port for this worker, which `npm run processor` workers do not get.
  const supervisor = new Supervisor([
    { name: 'gateway', args: serviceArgs('gateway'), env: runtimeEnv('gateway') },
    { name: 'ingest', args: serviceArgs('ingest'), env: runtimeEnv('ingest') },
    {
      name: 'processor',
      args: serviceArgs('processor'),
      env: { ...runtimeEnv('processor'), PROCESSOR_METRICS_PORT: String(config.PROCESSOR_METRICS_PORT) },
    },
  ]);
  const stopped = supervisor.run();
  void announceWhenUp(config, await loadContracts(), supervisor);
  const code = await stopped;
  await backing.stop();
  return code;
});
