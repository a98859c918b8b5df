import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from '@docprocessor/contracts';
import { REPO_ROOT } from '../src/stack.js';
import { type ScratchDir, scratchDir } from './support/scratch-dir.js';
import { useStack } from './support/use-stack.js';

/** `npm run import` as a script would run it: the built CLI against a running stack, exit code and output read. */
const t = useStack({ label: 'cli' });
let dir: ScratchDir;
beforeAll(async () => {
  dir = await scratchDir('cli');
});
afterAll(() => dir.remove());

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const CLEAN = [
  HEADER,
  '1,ada@example.com,Ada,Lovelace,,GB,2024-01-02,1.50,true,',
  '2,alan@example.com,Alan,Turing,,GB,2024-01-03,2,false,',
  '',
].join('\n');
const ONE_BAD = `${HEADER}\n3,grace@example.com,Grace,Hopper,,US,2024-01-04,3,true,\n4,not-an-email,Bad,Row,,US,2024-01-05,4,true,\n`;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function importCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'services/cli/dist/import.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', DOCPROCESSOR_URL: t.stack.url, DOCPROCESSOR_KEY: t.stack.apiKey, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, text);
  return path;
}

describe('npm run import', () => {
  it('follows a clean file to its end and exits 0, the final job as JSON on stdout, progress on stderr', async () => {
    const run = await importCli([await file('clean.csv', CLEAN), '--follow', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const job = Job.parse(JSON.parse(run.stdout));
    expect(job).toMatchObject({ status: 'completed', successRows: 2, failedRows: 0, filename: 'clean.csv', template: 'contacts' });
    expect(run.stderr).toMatch(/Uploading .*100%/);
    const rows = await t.sql<{ n: number }[]>`select count(*)::int as n from contacts where import_job_id = ${job.id}`;
    expect(rows[0]?.n).toBe(2);
  });

  it('exits 1 when rows failed, and its summary names the first row errors', async () => {
    const run = await importCli([await file('bad.csv', ONE_BAD), '--follow', '--on-duplicate', 'last']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/bad\.csv: completed/);
    expect(run.stdout).toMatch(/2 rows read, 1 imported, 1 failed/);
    expect(run.stdout).toMatch(/row 2, email: .*\(not-an-email\)/);
    expect(run.stdout).toMatch(/errors\.csv/);
  });

  it('a dry run says what it would do and writes nothing', async () => {
    const run = await importCli([await file('dry.csv', CLEAN), '--follow', '--dry-run', '--on-duplicate', 'last']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/dry run, nothing written: would insert 0, update 0, leave 2 unchanged/);
    const jobId = /job ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
    const rows = await t.sql<{ n: number }[]>`select count(*)::int as n from contacts where import_job_id = ${jobId ?? ''}`;
    expect(rows[0]?.n).toBe(0);
  });

  it('without --follow (and no terminal) it uploads, prints the queued job and exits 0', async () => {
    const run = await importCli([await file('queued.csv', CLEAN), '--no-follow', '--json', '--on-duplicate', 'last']);
    expect(run.code, run.stderr).toBe(0);
    expect(Job.parse(JSON.parse(run.stdout)).status).toMatch(/pending|processing|completed/);
  });

  it('exits 2 for wrong usage, a refused upload and a server it cannot reach', async () => {
    const path = await file('usage.csv', CLEAN);
    const noFile = await importCli([]);
    expect([noFile.code, noFile.stderr]).toEqual([2, expect.stringMatching(/no file given[\s\S]*Usage: npm run import/)]);
    const badPolicy = await importCli([path, '--on-duplicate', 'first']);
    expect([badPolicy.code, badPolicy.stderr]).toEqual([2, expect.stringMatching(/--on-duplicate takes error or last/)]);
    const badMapping = await importCli([path, '--mapping', '{not json']);
    expect([badMapping.code, badMapping.stderr]).toEqual([2, expect.stringMatching(/--mapping is not JSON/)]);
    const unknownTemplate = await importCli([path, '--template', 'nope']);
    expect([unknownTemplate.code, unknownTemplate.stderr]).toEqual([2, expect.stringMatching(/refused \(400\) — unknown_template/)]);
    const wrongKey = await importCli([path], { DOCPROCESSOR_KEY: 'wrong' });
    expect([wrongKey.code, wrongKey.stderr]).toEqual([2, expect.stringMatching(/refused \(401\) — unauthorized/)]);
    const nobody = await importCli([path], { DOCPROCESSOR_URL: 'http://127.0.0.1:9' });
    expect([nobody.code, nobody.stderr]).toEqual([2, expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:9/)]);
  });
});
