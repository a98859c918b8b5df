// `npm run bench [-- --rows 10000000 --pairs 3]`: the pipeline against `psql \copy` of the same file, in one run.
// The stack it measures is started on a database and NATS names of its own, so it never touches your data.
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { loadEnv, ROOT } from './lib/env.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { runMain } from './lib/log.mjs';
import { run } from './lib/run.mjs';
import { readScriptConfig } from './lib/script-config.mjs';

runMain(async () => {
  loadEnv({ NODE_ENV: 'production' });
  await ensureInstalled();
  const config = await readScriptConfig('TestEnv');
  // The bench makes its database on the server checked here, TEST_DATABASE_URL's (by default DATABASE_URL's).
  process.env.TEST_DATABASE_URL = config.TEST_DATABASE_URL;
  await ensureServices({ databaseUrls: [config.TEST_DATABASE_URL], natsUrls: config.NATS_URL });
  await ensureBuilt();
  return run(process.execPath, ['services/testbed/dist/bench/main.js', ...process.argv.slice(2)], { cwd: ROOT });
});
