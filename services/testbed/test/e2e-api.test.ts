import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture } from './support/contacts.js';
import { call, errorCodeOf, finalJob, uploadBytes, uploadJob } from './support/http.js';
import { WsClient } from './support/ws-client.js';
import { useStack } from './support/use-stack.js';

/**
 * The API around uploads, as scripts use it: idempotent retries, repeated files, keys on every route and on
 * the WebSocket upgrade, metrics and templates. The pipeline of one import end to end is in e2e-upload.test.ts.
 */
describe('idempotency, repeated files, API keys, metrics and templates', { timeout: 120_000 }, () => {
  const t = useStack({ label: 'e2e_api', natsLog: true });

  it('the same Idempotency-Key answers 200 with the same job and creates nothing', async () => {
    const content =
      'id,email,first_name,last_name,country,signup_date,amount,active\n910001,idem@example.com,Idem,Potent,FR,2021-02-03,5.5,yes\n';
    const key = `idem-${randomUUID()}`;
    const before = (await call<{ items: Job[] }>(t.stack, '/api/imports?limit=200')).body.items.length;

    const first = await uploadBytes(t.stack, content, { filename: 'idem.csv', idempotencyKey: key });
    expect(first.status, first.text).toBe(202);
    const again = await uploadBytes(t.stack, content, { filename: 'idem.csv', idempotencyKey: key });
    expect(again.status, again.text).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const done = await finalJob(t.stack, first.body.id);
    expect(done.status).toBe('completed');
    // Even after it finished, a repeat gets the same job (now in its current state).
    const late = await uploadBytes(t.stack, content, { filename: 'idem.csv', idempotencyKey: key });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ id: first.body.id, status: 'completed', successRows: 1 });

    const after = (await call<{ items: Job[] }>(t.stack, '/api/imports?limit=200')).body.items;
    expect(after.length).toBe(before + 1);
    const created = t.nats.messages.filter((m) => m.event.jobId === first.body.id && m.event.type === 'created');
    expect(created).toHaveLength(1);
    const [{ n }] = (await t.sql`select count(*)::int as n from contacts where id = 910001`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it('a second identical upload names the first in duplicateOf and is imported again, leaving the rows as they are', async () => {
    const content =
      'id,email,first_name,last_name,country,signup_date,amount,active\n' +
      '920001,dup1@example.com,Dup,One,SE,2019-12-31,0,no\n920002,dup2@example.com,Dup,Two,se,2019-12-30,0.10,0\n';
    const first = await uploadJob(t.stack, content, { filename: 'dup.csv' });
    expect(first.duplicateOf).toBeNull();
    await finalJob(t.stack, first.id);
    const second = await uploadJob(t.stack, content, { filename: 'dup-again.csv' });
    expect(second.id).not.toBe(first.id);
    expect(second.duplicateOf).toBe(first.id);
    const secondDone = await finalJob(t.stack, second.id);
    expect(secondDone).toMatchObject({ status: 'completed', duplicateOf: first.id, successRows: 2, failedRows: 0 });
    // A different template is not a duplicate even with the same bytes.
    const asProducts = await uploadJob(t.stack, content, { filename: 'dup.csv', fields: { template: 'products' } });
    expect(asProducts.duplicateOf).toBeNull();
    await finalJob(t.stack, asProducts.id);

    const rows = await t.sql`select id::int as id, import_job_id::text as job from contacts where id in (920001, 920002) order by id`;
    expect(rows.map((r) => r.id)).toEqual([920001, 920002]);
    // Its rows were the same as stored: the second import left them as they were, the first's lineage with them.
    expect(rows.every((r) => r.job === first.id)).toBe(true);
  });

  it('refuses a missing or wrong key with 401 on HTTP and on the WebSocket upgrade; health needs none', async () => {
    const fixture = contactsFixture({ rows: 5 });
    const job = await uploadJob(t.stack, fixture.csv, { filename: 'keyed.csv' });
    await finalJob(t.stack, job.id);
    for (const [method, path] of [
      ['GET', '/api/imports'],
      ['GET', `/api/imports/${job.id}`],
      ['GET', `/api/imports/${job.id}/errors`],
      ['GET', `/api/imports/${job.id}/errors.csv`],
      ['POST', `/api/imports/${job.id}/cancel`],
      ['POST', `/api/imports/${job.id}/retry`],
      ['GET', '/api/templates'],
    ] as const) {
      for (const key of [false, 'wrong-key', ''] as const) {
        const answer = await call(t.stack, path, { method, key });
        expect(answer.status, `${method} ${path} with key ${JSON.stringify(key)}: ${answer.text}`).toBe(401);
        expect(errorCodeOf(answer)).toBe('unauthorized');
      }
    }
    const before = (await call<{ items: Job[] }>(t.stack, '/api/imports?limit=200')).body.items.length;
    for (const key of [false, 'wrong-key'] as const) {
      // A few bytes: a large body refused early can lose its answer through the gateway (see e2e-bad-input).
      const refused = await uploadBytes(t.stack, fixture.csv.slice(0, 300), { key });
      expect(refused.status).toBe(401);
      expect(errorCodeOf(refused)).toBe('unauthorized');
    }
    expect((await call<{ items: Job[] }>(t.stack, '/api/imports?limit=200')).body.items.length).toBe(before);

    expect((await WsClient.upgradeStatus(t.stack, false)).status).toBe(401);
    const wrong = await WsClient.upgradeStatus(t.stack, 'wrong-key');
    expect(wrong.status).toBe(401);
    expect(errorCodeOf({ status: 401, headers: new Headers(), body: JSON.parse(wrong.body), text: wrong.body })).toBe('unauthorized');
    expect((await WsClient.upgradeStatus(t.stack, false, { 'x-api-key': 'wrong-key' })).status).toBe(401);
    expect((await WsClient.upgradeStatus(t.stack, false, { 'x-api-key': t.stack.apiKey })).status).toBe(101);
    expect((await WsClient.upgradeStatus(t.stack, t.stack.apiKey)).status).toBe(101);

    const health = await call(t.stack, '/api/health', { key: false });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { database: { ok: true }, nats: { ok: true } } });
  });

  it('serves /metrics as Prometheus text and /api/templates with both templates and their rules', async () => {
    const metrics = await call<string>(t.stack, '/metrics', { key: false });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^# HELP \S+ /m);
    expect(metrics.text).toMatch(/^# TYPE \S+ (counter|gauge|histogram|summary)$/m);
    for (const line of metrics.text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line, 'a Prometheus sample line').toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)( \d+)?$/);

    const templates = await call<Array<{ name: string; key: string[]; columns: Array<{ name: string; type: string; required: boolean }> }>>(
      t.stack,
      '/api/templates',
    );
    expect(templates.status).toBe(200);
    const byName = new Map(templates.body.map((template) => [template.name, template]));
    expect([...byName.keys()].sort()).toEqual(['contacts', 'products']);
    const contacts = byName.get('contacts')!;
    expect(contacts.key).toEqual(['id']);
    expect(contacts.columns.map((c) => c.name)).toEqual([
      'id',
      'email',
      'first_name',
      'last_name',
      'company',
      'country',
      'signup_date',
      'amount',
      'active',
      'notes',
    ]);
    expect(contacts.columns.filter((c) => !c.required).map((c) => c.name)).toEqual(['company', 'notes']);
    expect(byName.get('products')!.key).toEqual(['sku']);
    expect(
      byName
        .get('products')!
        .columns.filter((c) => c.required)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['active', 'name', 'price', 'quantity', 'sku']);
  });

  it('leaves every process running', async () => {
    await expectStackAlive(t.stack);
  });
});
