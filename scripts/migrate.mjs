// npm run migrate: creates the database when it is missing and applies pending migrations.
import { loadEnv } from './lib/env.mjs';
import { runMain } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { prepareDatabase } from './lib/database.mjs';
import { readScriptConfig } from './lib/script-config.mjs';

runMain(async () => {
  loadEnv();
  await ensureInstalled();
  const { DATABASE_URL } = await readScriptConfig('BackingServicesEnv');
  await ensureServices({ databaseUrls: [DATABASE_URL], natsUrls: [], nats: false });
  await ensureBuilt(['@docprocessor/db']);
  await prepareDatabase(DATABASE_URL);
});
