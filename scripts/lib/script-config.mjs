// What the scripts need to know themselves (where PostgreSQL and NATS are, the banner's address), read through the
// same zod schemas the services use. They live in @docprocessor/contracts, which a fresh clone has not built yet:
// it is built first (quietly; turbo replays it from its cache), so call this after ensureInstalled().
import { ensureBuilt } from './build.mjs';
import { SetupError } from './log.mjs';

let contracts = null;

/** The built @docprocessor/contracts module (built once per run). */
export function loadContracts() {
  contracts ??= ensureBuilt(['@docprocessor/contracts'], { quiet: true }).then(() => import('@docprocessor/contracts'));
  return contracts;
}

/**
 * process.env parsed by one of the scripts' schemas in @docprocessor/contracts: 'BackingServicesEnv' (PostgreSQL
 * and NATS), 'TestEnv' (and TEST_DATABASE_URL) or 'StartEnv' (what npm start reads).
 */
export async function readScriptConfig(schemaName) {
  const contracts = await loadContracts();
  try {
    return contracts.parseEnv(contracts[schemaName], process.env, 'DocProcessor');
  } catch (error) {
    throw new SetupError(`${error.message} (set in the environment or in .env; see .env.example)`);
  }
}
