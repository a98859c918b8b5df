// npm test: every workspace's tests against a real PostgreSQL and NATS, then one summary line.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadEnv, ROOT } from './lib/env.mjs';
import { paint, runMain, SetupError, warn } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt, turbo } from './lib/build.mjs';
import { readScriptConfig } from './lib/script-config.mjs';

// Each workspace's `vitest run` writes this in its own folder (see the reporter arguments below).
const RESULTS = '.vitest-results.json';

/** The workspace folders from package.json, with simple `dir/*` globs expanded. */
function workspaceDirs() {
  const { workspaces = [] } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return workspaces
    .flatMap((entry) => {
      if (!entry.endsWith('/*')) return [entry];
      const parent = entry.slice(0, -2);
      return readdirSync(path.join(ROOT, parent)).map((name) => `${parent}/${name}`);
    })
    .filter((dir) => existsSync(path.join(ROOT, dir, 'package.json')));
}

function summarize(dirs) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const dir of dirs) {
    const file = path.join(ROOT, dir, RESULTS);
    if (!existsSync(file)) {
      console.log(`  ${dir}: no results (its tests did not run or did not finish)`);
      continue;
    }
    let result;
    try {
      result = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.log(`  ${dir}: unreadable ${RESULTS} (its test run was cut short)`);
      continue;
    }
    const counts = {
      passed: result.numPassedTests ?? 0,
      failed: result.numFailedTests ?? 0,
      skipped: (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0),
    };
    for (const key of Object.keys(total)) total[key] += counts[key];
    const note = !result.success && counts.failed === 0 ? '  (did not pass: errors outside the tests, see its output above)' : '';
    console.log(`  ${dir}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${note}`);
    for (const testFile of result.testResults ?? []) {
      const where = path.relative(path.join(ROOT, dir), testFile.name);
      for (const test of testFile.assertionResults.filter((t) => t.status === 'failed'))
        console.log(paint('31', `    ✗ ${where} › ${test.fullName}`));
    }
  }
  return total;
}

const summaryLine = ({ passed, failed, skipped }) => `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;

runMain(async () => {
  loadEnv({ NODE_ENV: 'test' });
  const dirs = workspaceDirs();
  for (const dir of dirs) rmSync(path.join(ROOT, dir, RESULTS), { force: true });
  let backing;
  try {
    await ensureInstalled();
    const config = await readScriptConfig('TestEnv');
    // The tests make their databases on the server checked here (services/db/src/testing.ts reads this).
    process.env.TEST_DATABASE_URL = config.TEST_DATABASE_URL;
    backing = await ensureServices({ databaseUrls: [config.DATABASE_URL, config.TEST_DATABASE_URL], natsUrls: config.NATS_URL });
  } catch (error) {
    console.error(error instanceof SetupError ? paint('31', `» ${error.message}`) : error);
    console.log(summaryLine({ passed: 0, failed: 0, skipped: 0 }));
    return 1;
  }
  if (!existsSync('/usr/bin/chromium')) warn('/usr/bin/chromium is missing: the browser tests need `apt-get install -y chromium`');
  // A workspace that does not build must not hide the results of those that do.
  if ((await ensureBuilt([], { mustPass: false })) !== 0) warn('the build failed; running the tests of what did build');
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile=${RESULTS}`];
  const code = await turbo(['run', 'test', '--concurrency=2', '--continue=dependencies-successful', '--', ...reporters], {
    mustPass: false,
  });
  await backing.stop();
  console.log('\nResults by workspace:');
  const total = summarize(dirs);
  console.log(summaryLine(total));
  if (code !== 0) return code;
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
});
