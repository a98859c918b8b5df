import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, openApiDocument } from '@docprocessor/contracts';
import { API_KEY, build, type Harness, contactsCsv, multipart, upload } from './helper.js';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }> };
const document = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: object };

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const auth = { 'x-api-key': API_KEY };
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('binary', true);

/** The routes the app has, as `METHOD /openapi/{style}`, from Fastify's own route tree. */
function registeredRoutes(): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of h.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│\s]*)[└├]── (\S+) \(([^)]+)\)/.exec(line) ?? /^([│\s]*)[└├]── (\S+)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${stack.join('').replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes.filter((route) => !/^(HEAD|OPTIONS) /.test(route));
}

/** Checks an answer against the document: its status is documented for the route, and its JSON body fits. */
function expectDocumented(method: string, path: string, res: LightMyRequestResponse): void {
  const operation = document.paths[path]?.[method];
  expect(operation, `${method} ${path} is in the document`).toBeDefined();
  const response = operation!.responses[String(res.statusCode)];
  expect(response, `${method} ${path} documents ${res.statusCode}`).toBeDefined();
  const schema = response!.content?.['application/json']?.schema;
  if (!schema) return;
  const validate = ajv.compile({ ...schema, components: document.components });
  const valid = validate(res.json());
  expect(valid, `${method} ${path} ${res.statusCode}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served without a key', async () => {
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const res = await h.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('covers every route the app answers, and lists none it does not', () => {
    const registered = registeredRoutes().filter((route) => !route.includes('/api/docs'));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(registered.sort()).toEqual(documented.sort());
  });

  it('describes what the routes really answer', async () => {
    const created = await upload(h, contactsCsv(2));
    expectDocumented('post', '/api/imports', created);
    const job = created.json<Job>();
    const id = job.id;
    const get = (url: string) => h.app.inject({ url, headers: auth });
    expectDocumented('get', '/api/imports', await get('/api/imports'));
    expectDocumented('get', '/api/imports/{id}', await get(`/api/imports/${id}`));
    expectDocumented('get', '/api/imports/{id}', await get('/api/imports/no-such-job'));
    expectDocumented('get', '/api/imports/{id}/errors', await get(`/api/imports/${id}/errors`));
    const csv = await get(`/api/imports/${id}/errors.csv`);
    expectDocumented('get', '/api/imports/{id}/errors.csv', csv);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expectDocumented(
      'post',
      '/api/imports/{id}/cancel',
      await h.app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: auth }),
    );
    expectDocumented(
      'post',
      '/api/imports/{id}/cancel',
      await h.app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: auth }),
    );
    expectDocumented('get', '/api/templates', await get('/api/templates'));
    expectDocumented('get', '/api/templates/{name}', await get('/api/templates/contacts'));
    expectDocumented('get', '/api/templates/{name}', await get('/api/templates/nope'));
    const invalid = await h.app.inject({ method: 'POST', url: '/api/templates', headers: auth, payload: { name: 'x', columns: [] } });
    expectDocumented('post', '/api/templates', invalid);
    const preview = multipart({ content: contactsCsv(3) }, { template: 'contacts' });
    expectDocumented(
      'post',
      '/api/previews',
      await h.app.inject({ method: 'POST', url: '/api/previews', payload: preview.payload, headers: { ...preview.headers, ...auth } }),
    );
    expectDocumented('get', '/api/health', await h.app.inject({ url: '/api/health' }));
    expectDocumented('get', '/api/imports', await h.app.inject({ url: '/api/imports' }));
  });

  it('has a page a person can browse at /api/docs, without a key', async () => {
    const page = await h.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
    const spec = await h.app.inject({ url: '/api/docs/json' });
    expect(spec.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'DocProcessor API' } });
  });
});
