import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_CATALOG, type Job, type WebhookCreated } from '@docprocessor/contracts';
import { nodeFlags, runtimeEnv } from '../../../scripts/lib/service-command.mjs';
import { freePort, REPO_ROOT } from '../src/stack.js';
import { call, finalJob, uploadJob } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { eventually } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { WsClient } from './support/ws-client.js';

/**
 * What a person watching the product gets after a real import: every service's /metrics holds what the catalog
 * declares with figures that add up, the Grafana dashboard queries only those, and every log line about the job
 * carries its jobId.
 */
const processorPort = await freePort();
const t = useStack({ label: 'metrics', env: { PROCESSOR_METRICS_PORT: String(processorPort) } });

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format, as much as these checks need: one sample per line, `# TYPE` lines kept apart. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

async function scrape(url: string): Promise<ReturnType<typeof parseExposition>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
const VALID = 40;
const INVALID = 3;
const file = [
  HEADER,
  ...Array.from({ length: VALID }, (_, i) => `${i + 1},m${i}@example.com,A,B,,GB,2024-01-02,1.50,true,`),
  ...Array.from({ length: INVALID }, (_, i) => `${1000 + i},not-an-email,A,B,,GB,2024-01-02,1,true,`),
  '',
].join('\n');

let receiver: WebhookReceiver;
let client: WsClient;
let job: Job;
let scraped: Record<keyof typeof METRIC_CATALOG, ReturnType<typeof parseExposition>>;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  const hook = await call<WebhookCreated>(t.stack, '/api/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, events: ['completed'] }),
  });
  receiver.secret = hook.body.secret;
  client = await WsClient.open(t.stack);
  // Its snapshot is read from PostgreSQL: the gateway's connections show up too.
  client.send({ op: 'subscribe' });
  await eventually(() => client.frames.some((f) => f.type === 'snapshot'), 'the snapshot');
  job = await finalJob(t.stack, (await uploadJob(t.stack, file, { filename: 'metrics.csv' })).id);
  await eventually(() => receiver.eventsOf(job.id).includes('completed'), 'the completed webhook delivered');
  const scrapeAll = async () => ({
    ingest: await scrape(`${t.stack.url}/metrics`),
    gateway: await scrape(`${t.stack.url}/gateway/metrics`),
    processor: await scrape(`http://127.0.0.1:${processorPort}/metrics`),
  });
  // The delivery's attempt is counted once its transaction commits, a moment after the receiver answered.
  scraped = await eventually(
    async () => {
      const all = await scrapeAll();
      return value(all.processor.samples, 'docprocessor_webhook_attempts_total', { outcome: 'delivered' }) >= 1 && all;
    },
    'the webhook attempt counted',
    30_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  client?.socket.close();
  await receiver?.close();
});

describe('the services as npm start runs them', () => {
  it('each runs with the node flags and the runtime environment its package.json declares', () => {
    expect(runtimeEnv('ingest')).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    for (const service of t.stack.services) {
      const pid = service.child.pid!;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(args.slice(1, 1 + nodeFlags(service.name).length), service.name).toEqual(nodeFlags(service.name));
      for (const [name, setting] of Object.entries(runtimeEnv(service.name))) expect(environ, service.name).toContain(`${name}=${setting}`);
    }
  });
});

describe('metrics after a real import', () => {
  it.each(Object.entries(METRIC_CATALOG))('%s exports every metric of the catalog, with its type', (service, definitions) => {
    const { types } = scraped[service as keyof typeof METRIC_CATALOG];
    for (const definition of definitions) expect(types.get(definition.name), definition.name).toBe(definition.type);
  });

  it('counts the job, its rows by outcome and template, its bytes, its duration and its wait', () => {
    expect(job).toMatchObject({ status: 'completed', successRows: VALID, failedRows: INVALID });
    const { ingest, processor } = scraped;
    const contacts = { template: 'contacts' };
    expect(value(ingest.samples, 'docprocessor_jobs_created_total', contacts)).toBe(1);
    expect(value(ingest.samples, 'docprocessor_uploaded_bytes_total', contacts)).toBe(job.sizeBytes);
    expect(value(processor.samples, 'docprocessor_rows_total', { ...contacts, outcome: 'success' })).toBe(VALID);
    expect(value(processor.samples, 'docprocessor_rows_total', { ...contacts, outcome: 'failed' })).toBe(INVALID);
    expect(value(processor.samples, 'docprocessor_jobs_finished_total', { ...contacts, status: 'completed' })).toBe(1);
    expect(value(processor.samples, 'docprocessor_job_duration_seconds_count', { ...contacts, status: 'completed' })).toBe(1);
    expect(value(processor.samples, 'docprocessor_job_queue_wait_seconds_count', contacts)).toBe(1);
    expect(value(processor.samples, 'docprocessor_jobs_running')).toBe(0);
    expect(value(processor.samples, 'docprocessor_webhook_attempt_duration_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('samples the three JetStream consumers: the work is acknowledged, nothing waits', () => {
    const consumers = (name: string) => scraped.processor.samples.filter((s) => s.name === name).map((s) => s.labels.consumer);
    const names = t.stack.names.consumer;
    expect(consumers('docprocessor_consumer_pending').sort()).toEqual([names, `${names}_repairs`, `${names}_webhooks`].sort());
    expect(value(scraped.processor.samples, 'docprocessor_consumer_pending', { consumer: names })).toBe(0);
    expect(value(scraped.processor.samples, 'docprocessor_consumer_ack_pending', { consumer: names })).toBe(0);
    expect(value(scraped.processor.samples, 'docprocessor_consumer_redelivered', { consumer: names })).toBe(0);
  });

  it('shows the open WebSocket client, the frames it was sent, and each service’s PostgreSQL connections', () => {
    expect(value(scraped.gateway.samples, 'docprocessor_gateway_ws_clients')).toBe(1);
    expect(value(scraped.gateway.samples, 'docprocessor_gateway_ws_frames_sent_total', { type: 'event' })).toBeGreaterThanOrEqual(3);
    for (const service of ['ingest', 'gateway', 'processor'] as const) {
      const open = value(scraped[service].samples, 'docprocessor_db_connections', { state: 'open' });
      const busy = value(scraped[service].samples, 'docprocessor_db_connections', { state: 'busy' });
      expect(open, service).toBeGreaterThanOrEqual(1);
      expect(busy, service).toBeLessThanOrEqual(open);
    }
  });
});

describe('the Grafana dashboard (infra/grafana/docprocessor-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(join(REPO_ROOT, 'infra/grafana/docprocessor-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

  it('queries only metrics the services export', () => {
    const exported = new Set(Object.values(scraped).flatMap(({ samples }) => samples.map((s) => s.name)));
    expect(exprs.length).toBeGreaterThan(20);
    for (const { panel, expr } of exprs) {
      const names = expr.match(/\bdocprocessor_[a-zA-Z0-9_:]*/g) ?? [];
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${panel}: ${name} is not exported`).toBe(true);
    }
  });

  it('shows every metric of the catalog somewhere', () => {
    const used = exprs.map((e) => e.expr).join('\n');
    for (const definition of Object.values(METRIC_CATALOG).flat()) expect(used, definition.name).toContain(definition.name);
  });
});

describe('logs', () => {
  it.each(['ingest', 'gateway', 'processor'] as const)('every %s log line that mentions the job carries its jobId', (service) => {
    const lines = t.stack
      .logs(service)
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(job.id));
    expect(lines.length, `${service} logged nothing about the job`).toBeGreaterThan(0);
    for (const line of lines) expect((JSON.parse(line) as { jobId?: string }).jobId, line).toBe(job.id);
  });
});
