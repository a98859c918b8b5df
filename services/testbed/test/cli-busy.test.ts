import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/stack.js';
import { type ScratchDir, scratchDir } from './support/scratch-dir.js';
import { useStack } from './support/use-stack.js';

/**
 * Backpressure as a script meets it: no processor runs and the work queue holds at most one job, so the second
 * `npm run import` is refused through the one origin with 503 and its Retry-After, and exits 2.
 */
const t = useStack({ label: 'cli_busy', processors: 0, env: { MAX_QUEUED_JOBS: '1', BACKPRESSURE_RETRY_AFTER_SECONDS: '12' } });
let dir: ScratchDir;
beforeAll(async () => {
  dir = await scratchDir('cli-busy');
});
afterAll(() => dir.remove());

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const CSV = `${HEADER}\n1,ada@example.com,Ada,Lovelace,,GB,2024-01-02,1.50,true,\n`;

function importCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'services/cli/dist/import.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', DOCPROCESSOR_URL: t.stack.url, DOCPROCESSOR_KEY: t.stack.apiKey } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run import against a full work queue', () => {
  it('exits 2 and prints the refusal with its Retry-After', async () => {
    const path = join(dir.path, 'contacts.csv');
    await writeFile(path, CSV);
    expect((await importCli([path, '--no-follow'])).code).toBe(0);
    // Past the half second one reading of the queue answers for, the queued job counts.
    await sleep(700);
    const refused = await importCli([path, '--no-follow']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused \(503\) — service_unavailable: Too busy to take more work: .*\(Retry-After: 12 s\)/);
  });
});
