// npm run migrate: creates the database when it is missing and applies pending migrations.
import { loadEnv } from './lib/env.mjs';
import { runMain } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { prepareDatabase } from './lib/database.mjs';

runMain(async () => {
  loadEnv();
  await ensureInstalled();
  await ensureServices({ nats: false });
  await ensureBuilt(['@docprocessor/db']);
  await prepareDatabase();
});
