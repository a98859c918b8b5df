#!/usr/bin/env node
// npm run import -- <file> [options]: upload, follow live over /ws, summarize. Exit code 0, 1 or 2 (see USAGE).
import { existsSync, statSync } from 'node:fs';
import { Job } from '@docprocessor/contracts';
import { readImportConfig } from './config.js';
import { followJob } from './follow-job.js';
import { parseImportArgs, USAGE, UsageError } from './import-args.js';
import { ProgressView } from './progress-view.js';
import { refusalLine } from './refusal.js';
import { streamUpload } from './stream-upload.js';
import { exitCodeOf, summaryLines } from './summary.js';

const USAGE_OR_CONNECTION = 2;

async function main(argv: readonly string[]): Promise<number> {
  const args = parseImportArgs(argv, Boolean(process.stderr.isTTY));
  if (args.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!existsSync(args.file) || !statSync(args.file).isFile()) throw new UsageError(`no such file: ${args.file}`);
  const { url, key } = readImportConfig(process.env);
  const view = new ProgressView(process.stderr);
  const answer = await streamUpload(url, key, args.file, args.fields, (sent, total) => args.follow && view.uploaded(sent, total));
  view.end();
  if (answer.status >= 300) {
    console.error(refusalLine(answer));
    return USAGE_OR_CONNECTION;
  }
  let job = Job.parse(answer.body);
  if (args.follow) {
    job = await followJob(url, key, job.id, (change) => view.processing(change));
    view.end();
  }
  if (args.json) console.log(JSON.stringify(job, null, 2));
  else for (const line of await summaryLines(url, key, job)) console.log(line);
  return exitCodeOf(job);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = USAGE_OR_CONNECTION;
  },
);
