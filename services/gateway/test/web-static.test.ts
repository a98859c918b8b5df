import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackends, startGateway, type Backends, type Gateway } from './helper.js';

let backends: Backends;
let dist: string;
let gateway: Gateway;
const INDEX = '<!doctype html><title>DocProcessor</title><div id="root"></div>';

beforeAll(async () => {
  backends = await startBackends('static');
  dist = await mkdtemp(join(tmpdir(), 'gw-dist-'));
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), INDEX);
  await writeFile(join(dist, 'assets', 'app-1a2b.js'), 'console.log("hi")');
  await writeFile(join(dist, 'favicon.svg'), '<svg/>');
  gateway = await startGateway(backends, { env: { WEB_DIST: dist } });
});
afterAll(async () => {
  await gateway.app.close();
  await backends.close();
  await rm(dist, { recursive: true, force: true });
});

const page = (path: string, accept = 'text/html,*/*') => fetch(`${gateway.origin}${path}`, { headers: { accept } });

describe('the built UI', () => {
  it('serves index.html at /', async () => {
    const response = await page('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toBe(INDEX);
  });

  it('serves files, hashed assets cached for good', async () => {
    const asset = await page('/assets/app-1a2b.js', '*/*');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const icon = await page('/favicon.svg', '*/*');
    expect(await icon.text()).toBe('<svg/>');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes', async () => {
    for (const path of ['/imports/3f1c0a56-1b2c-4d5e-8f90-123456789abc', '/settings?tab=keys']) {
      const response = await page(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
    }
    expect(await (await page('/imports/some-id', 'application/json')).text()).toBe(INDEX);
  });

  it('answers a JSON 404 for a missing file, and never falls back for /api, /ws or /gateway', async () => {
    const missing = await page('/assets/gone-123.js', '*/*');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await page('/gateway/nothing')).status).toBe(404);
    expect((await page('/ws/x')).status).toBe(404);
    expect((await fetch(`${gateway.origin}/`, { method: 'DELETE' })).status).toBe(404);
  });

  it('without a build, answers / with a short page that says how to build it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'gw-empty-'));
    const bare = await startGateway(backends, { env: { WEB_DIST: empty } });
    for (const path of ['/', '/imports/abc']) {
      const response = await fetch(`${bare.origin}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await response.text()).toContain('npm run build');
    }
    await bare.app.close();
    await rm(empty, { recursive: true, force: true });
  });
});
