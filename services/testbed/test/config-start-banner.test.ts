import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contracts from '@docprocessor/contracts';
import { REPO_ROOT } from '../src/stack.js';

interface Origin {
  url: string;
  probe: string;
  notes: string[];
}
const { describeOrigin } = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/lib/banner.mjs')).href)) as {
  describeOrigin: (config: { HOST: string; WEB_PORT: number; API_KEYS: string[] }, module: typeof contracts) => Origin;
};
const origin = (HOST: string, API_KEYS = ['dev-key']) => describeOrigin({ HOST, WEB_PORT: 5173, API_KEYS }, contracts);

describe("npm start's banner", () => {
  it('says the default listens on loopback only, and how to open it', () => {
    const { url, probe, notes } = origin(contracts.parseEnv(contracts.StartEnv, {}, 'test').HOST);
    expect({ url, probe }).toEqual({ url: 'http://localhost:5173', probe: 'http://127.0.0.1:5173' });
    expect(notes.join('\n')).toMatch(/listening on 127\.0\.0\.1 only \(set HOST=0\.0\.0\.0 to open it to the network\)/);
  });

  it('brackets an IPv6 address', () => {
    expect(origin('::1')).toMatchObject({ url: 'http://localhost:5173', probe: 'http://[::1]:5173' });
    expect(origin('fd00::5')).toMatchObject({ url: 'http://[fd00::5]:5173', probe: 'http://[fd00::5]:5173' });
  });

  it('probes loopback when every interface is open, and warns while the development key is accepted', () => {
    for (const host of ['0.0.0.0', '::']) {
      const { url, probe, notes } = origin(host);
      expect({ url, probe }).toEqual({ url: 'http://localhost:5173', probe: 'http://127.0.0.1:5173' });
      expect(notes.join('\n')).toContain('every network interface');
      expect(notes.join('\n')).toMatch(/warning: the development key dev-key is accepted/);
    }
    expect(origin('0.0.0.0', ['a-real-key']).notes.join('\n')).not.toContain('dev-key');
  });

  it('shows the address itself when HOST names one interface', () => {
    const { url, notes } = origin('192.168.1.20');
    expect(url).toBe('http://192.168.1.20:5173');
    expect(notes.join('\n')).toMatch(/192\.168\.1\.20 \(HOST\), reachable from the network[\s\S]*warning/);
  });
});
