// What npm start prints once the one origin answers: where it is, who can reach it, and what to do next.
import { paint, warn } from './log.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Where the gateway listens, from StartEnv's HOST and WEB_PORT: the URL a person opens, the origin this machine
 * probes, and lines saying whether the network can reach it. `contracts` is the built @docprocessor/contracts.
 */
export function describeOrigin({ HOST, WEB_PORT, API_KEYS }, contracts) {
  const { connectableHost, httpOrigin, isLoopbackHost, isWildcardHost } = contracts;
  const local = isLoopbackHost(HOST) || isWildcardHost(HOST);
  const url = local ? httpOrigin('localhost', WEB_PORT) : httpOrigin(HOST, WEB_PORT);
  const probe = httpOrigin(connectableHost(HOST), WEB_PORT);
  if (isLoopbackHost(HOST)) return { url, probe, notes: [`  listening on ${HOST} only (set HOST=0.0.0.0 to open it to the network)`] };
  const where = isWildcardHost(HOST) ? `every network interface (HOST=${HOST})` : `${HOST} (HOST), reachable from the network`;
  const notes = [`  listening on ${where}`];
  if (API_KEYS.includes('dev-key'))
    notes.push(paint('33', '  warning: the development key dev-key is accepted, by anyone who reaches this machine: set API_KEYS'));
  return { url, probe, notes };
}

/** Waits for the gateway, then gives ingest (through the gateway) a little longer before printing the banner. */
export async function announceWhenUp(config, contracts, supervisor) {
  const { url, probe, notes } = describeOrigin(config, contracts);
  for (let waited = 0; !(await answers(`${probe}/gateway/health`)); waited += 500) {
    if (supervisor.stopping) return;
    if (waited === 60_000) warn(`the gateway does not answer ${probe}/gateway/health yet; still waiting`);
    await sleep(500);
  }
  let apiReady = false;
  for (let tries = 0; tries < 30 && !(apiReady = await answers(`${probe}/api/health`)); tries++) await sleep(500);
  if (supervisor.stopping) return;
  const keyHint = config.API_KEYS.length === 0 ? 'none: people sign in' : config.API_KEYS[0] === 'dev-key' ? 'dev-key' : 'one of API_KEYS';
  const metrics = `http://127.0.0.1:${config.PROCESSOR_METRICS_PORT}/metrics`;
  const lines = [
    paint('1;32', `DocProcessor is up: ${url}  (API key: ${keyHint})`),
    ...notes,
    ...(apiReady ? [] : [paint('33', `  but ${probe}/api/health is not healthy yet: see the ingest log above`)]),
    `  sign-in accounts:  npm run users -- create --tenant default --email you@example.com --role admin`,
    `  one more worker:   npm run processor      (on any machine that reaches PostgreSQL and NATS)`,
    `  watch the events:  nats sub '${config.NATS_SUBJECT_PREFIX}.>'`,
    `  metrics:           ${url}/metrics  and the processor's ${metrics}`,
    `  stop:              Ctrl-C`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
}
