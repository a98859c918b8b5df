import { describe, expect, it } from 'vitest';
import { createFlowSealer, type SsoFlow } from '../src/sso/flow-cookie.js';

const now = Date.UTC(2030, 0, 1);
const flow: SsoFlow = {
  state: 'the-state',
  nonce: 'the-nonce',
  codeVerifier: 'the-verifier',
  redirectUri: 'https://imports.example.com/api/session/oidc/callback',
  expiresAt: now + 600_000,
};

describe('the dp_oidc flow cookie', () => {
  const sealer = createFlowSealer('client secret');

  it('opens what it sealed, until it expires', () => {
    const cookie = sealer.seal(flow);
    expect(sealer.open(cookie, now)).toEqual(flow);
    expect(sealer.open(cookie, flow.expiresAt)).toBeNull();
  });

  it('refuses a cookie altered in its payload or signature, or sealed with another secret', () => {
    const [payload, signature] = sealer.seal(flow).split('.') as [string, string];
    const altered = Buffer.from(JSON.stringify({ ...flow, state: 'chosen-by-an-attacker' })).toString('base64url');
    expect(sealer.open(`${altered}.${signature}`, now)).toBeNull();
    const otherSignature = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(sealer.open(`${payload}.${otherSignature}`, now)).toBeNull();
    expect(createFlowSealer('another secret').open(`${payload}.${signature}`, now)).toBeNull();
  });

  it('refuses a missing or malformed cookie', () => {
    for (const cookie of [undefined, '', 'no-dot', 'a.b.c', '.sig', `${Buffer.from('not json').toString('base64url')}.x`])
      expect(sealer.open(cookie, now)).toBeNull();
  });
});
