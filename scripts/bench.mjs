// `npm run bench [-- --rows 10000000 --pairs 3]`: the pipeline against `psql \copy` of the same file, in one run.
// The stack it measures is started on a database and NATS names of its own, so it never touches your data.
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { loadEnv, ROOT } from './lib/env.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { runMain } from './lib/log.mjs';
import { run } from './lib/run.mjs';

runMain(async () => {
  loadEnv({ NODE_ENV: 'production' });
  await ensureInstalled();
  await ensureServices();
  await ensureBuilt();
  // The bench's own database lives on the same server as DATABASE_URL.
  process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  return run(process.execPath, ['services/testbed/dist/bench/main.js', ...process.argv.slice(2)], { cwd: ROOT });
});
