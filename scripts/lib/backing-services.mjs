// PostgreSQL and NATS: probed over TCP; on this machine they are started when down, elsewhere we say what to do.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from './env.mjs';
import { say, SetupError } from './log.mjs';
import { run } from './run.mjs';
import { readScriptConfig } from './script-config.mjs';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** host and port of a URL such as postgres://u@h:5432/db or nats://h:4222 (the scheme may be left out for NATS). */
export function hostPort(raw, defaultPort) {
  const url = new URL(raw.includes('://') ? raw : `nats://${raw}`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || defaultPort) };
}

export function isReachable({ host, port }, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket
      .once('connect', () => done(true))
      .once('timeout', () => done(false))
      .once('error', () => done(false));
  });
}

async function waitReachable(target, what, gaveUp = () => null) {
  for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline; await sleep(250)) {
    if (await isReachable(target)) return;
    const reason = gaveUp();
    if (reason) throw new SetupError(`${what} did not start: ${reason}`);
  }
  throw new SetupError(`${what} did not answer on ${target.host}:${target.port} within ${START_TIMEOUT_MS / 1000} s`);
}

export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {}
  }
  return null;
}

const writable = (dir) => {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Debian cluster (pg_lsclusters) that listens on `port`, if any. */
function postgresCluster(port) {
  const listed = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  for (const line of (listed.stdout ?? '').split('\n')) {
    const [version, name, clusterPort] = line.trim().split(/\s+/);
    if (clusterPort === String(port)) return { version, name };
  }
  return null;
}

async function ensurePostgres(target, start) {
  if (await isReachable(target)) return;
  const where = `${target.host}:${target.port}`;
  const cluster = LOCAL_HOSTS.has(target.host) && findExecutable('pg_ctlcluster') && postgresCluster(target.port);
  const startArgs = cluster && ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'];
  if (startArgs && start) {
    say(`PostgreSQL is down: pg_ctlcluster ${startArgs.join(' ')} (it keeps running afterwards)`);
    if ((await run('pg_ctlcluster', startArgs)) === 0) return waitReachable(target, 'PostgreSQL');
  }
  const how = startArgs
    ? `Start it:\n  sudo pg_ctlcluster ${startArgs.join(' ')}\nor`
    : LOCAL_HOSTS.has(target.host)
      ? 'Start it:\n  docker compose -f infra/docker-compose.yml up -d postgres   (or a PostgreSQL of your own)\nor'
      : 'Start it on that machine, or';
  throw new SetupError(`PostgreSQL is not reachable at ${where} (DATABASE_URL). ${how} set DATABASE_URL (in .env) to a running server.`);
}

/** Starts nats-server as our child and returns a stop function; throws with instructions when it cannot. */
async function ensureNats(targets, start) {
  for (const target of targets) if (await isReachable(target)) return null;
  const target = targets.find((t) => LOCAL_HOSTS.has(t.host));
  const binary = findExecutable('nats-server');
  if (!target || !binary || !start) {
    const where = targets.map((t) => `${t.host}:${t.port}`).join(', ');
    const how = !target
      ? 'Start it on that machine, or set NATS_URL (in .env) to a running server.'
      : binary
        ? `Start it with JetStream:\n  npm start   (starts ${binary} when needed), or a server of your own`
        : [
            'Start a server with JetStream:',
            '  apt-get install -y nats-server   (then run this again), or',
            '  docker compose -f infra/docker-compose.yml up -d nats',
          ].join('\n');
    throw new SetupError(`NATS is not reachable at ${where} (NATS_URL). ${how}`);
  }
  const store = writable('/var/lib/nats-server') ? '/var/lib/nats-server' : path.join(ROOT, '.data', 'nats');
  const logFile = writable('/var/log') ? '/var/log/nats-server.log' : path.join(ROOT, '.data', 'nats-server.log');
  mkdirSync(store, { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const host = target.host === 'localhost' ? '127.0.0.1' : target.host;
  const args = ['-a', host, '-p', String(target.port), '-js', '-sd', store, '-l', logFile];
  say(`NATS is down: starting ${binary} ${args.join(' ')}`);
  // Its own process group: a Ctrl-C reaches it only through us, after the services have closed.
  const child = spawn(binary, args, { detached: true, stdio: 'ignore' });
  let exited = null;
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}; see ${logFile}`));
  child.on('error', (error) => (exited = error.message));
  const killOnExit = () => exited || child.kill('SIGTERM');
  process.on('exit', killOnExit);
  await waitReachable(target, 'nats-server', () => exited);
  return async function stopNats() {
    process.off('exit', killOnExit);
    if (exited) return;
    say('stopping the nats-server we started');
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  };
}

/**
 * Makes sure PostgreSQL (each of `databaseUrls`) and, when `nats` is set, NATS (`natsUrls`) answer; with `start`,
 * local ones that are down get started. Left out, the URLs are DATABASE_URL and NATS_URL as the schemas read them.
 * Returns stop(), which stops what this call started itself (a nats-server; PostgreSQL is a system service).
 */
export async function ensureServices({ databaseUrls, natsUrls, nats = true, start = true } = {}) {
  if (!databaseUrls || !natsUrls) {
    const config = await readScriptConfig('BackingServicesEnv');
    databaseUrls ??= [config.DATABASE_URL];
    natsUrls ??= config.NATS_URL;
  }
  const seen = new Set();
  for (const url of databaseUrls) {
    const target = hostPort(url, 5432);
    if (seen.has(`${target.host}:${target.port}`)) continue;
    seen.add(`${target.host}:${target.port}`);
    await ensurePostgres(target, start);
  }
  const natsTargets = natsUrls.map((url) => hostPort(url, 4222));
  const stopNats = nats ? await ensureNats(natsTargets, start) : null;
  return { startedNats: Boolean(stopNats), stop: async () => stopNats?.() };
}
