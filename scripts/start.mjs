// npm start: everything DocProcessor needs, in order, then the three services in the foreground.
import { loadEnv } from './lib/env.mjs';
import { say, paint, runMain, warn } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { prepareDatabase } from './lib/database.mjs';
import { serviceArgs } from './lib/service-command.mjs';
import { Supervisor } from './lib/supervisor.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/** Waits for the gateway, then gives ingest (through the gateway) a little longer before printing the banner. */
async function announceWhenUp(env, supervisor, metricsPort) {
  const host = ['0.0.0.0', '::', ''].includes(env.HOST) ? '127.0.0.1' : env.HOST;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${env.WEB_PORT}`;
  for (let waited = 0; !(await answers(`${origin}/gateway/health`)); waited += 500) {
    if (supervisor.stopping) return;
    if (waited === 60_000) warn(`the gateway does not answer ${origin}/gateway/health yet; still waiting`);
    await sleep(500);
  }
  let apiReady = false;
  for (let tries = 0; tries < 30 && !(apiReady = await answers(`${origin}/api/health`)); tries++) await sleep(500);
  if (supervisor.stopping) return;
  const [firstKey] = env.API_KEYS.split(',').map((key) => key.trim());
  const keyHint = firstKey === 'dev-key' ? 'dev-key' : 'one of API_KEYS';
  const lines = [
    paint('1;32', `DocProcessor is up: http://localhost:${env.WEB_PORT}  (API key: ${keyHint})`),
    ...(apiReady ? [] : [paint('33', `  but ${origin}/api/health is not healthy yet: see the ingest log above`)]),
    `  one more worker:   npm run processor      (on any machine that reaches PostgreSQL and NATS)`,
    `  watch the events:  nats sub '${env.NATS_SUBJECT_PREFIX}.>'`,
    `  metrics:           http://localhost:${env.WEB_PORT}/metrics${metricsPort ? `  and the processor's http://127.0.0.1:${metricsPort}/metrics` : ''}`,
    `  stop:              Ctrl-C`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
}

runMain(async () => {
  const env = loadEnv();
  await ensureInstalled();
  const backing = await ensureServices();
  try {
    await ensureBuilt(['@docprocessor/db']);
    await prepareDatabase();
    await ensureBuilt();
  } catch (error) {
    await backing.stop();
    throw error;
  }
  const metricsPort = env.PROCESSOR_METRICS_PORT ?? '3002';
  const supervisor = new Supervisor([
    { name: 'gateway', args: serviceArgs('gateway') },
    { name: 'ingest', args: serviceArgs('ingest') },
    { name: 'processor', args: serviceArgs('processor'), env: { PROCESSOR_METRICS_PORT: metricsPort } },
  ]);
  const stopped = supervisor.run();
  void announceWhenUp(env, supervisor, metricsPort);
  const code = await stopped;
  await backing.stop();
  return code;
});
