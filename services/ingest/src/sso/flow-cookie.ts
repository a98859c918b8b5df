import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * What one sign-in at the provider must come back with: kept in the browser that started it, in an HttpOnly cookie
 * signed with a key derived from OIDC_CLIENT_SECRET. Nothing is stored on the server (no table to sweep, any ingest
 * instance can finish the flow), and only the browser that started a sign-in can finish it (login CSRF).
 */
export const FLOW_COOKIE = 'dp_oidc';
/** Sent only to the two single sign-on routes. */
export const FLOW_COOKIE_PATH = '/api/session/oidc';
export const FLOW_MAX_AGE_SECONDS = 10 * 60;

export const SsoFlow = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(1),
  redirectUri: z.string().url(),
  /** Epoch milliseconds after which the flow is refused, whatever the cookie's own Max-Age did. */
  expiresAt: z.number().int(),
});
export type SsoFlow = z.infer<typeof SsoFlow>;

export interface FlowSealer {
  seal(flow: SsoFlow): string;
  /** The flow, or null for a cookie that is missing, altered, malformed or expired. */
  open(cookie: string | undefined, now?: number): SsoFlow | null;
}

/** The signing key is derived, not the secret itself, so a signature never helps anyone with the provider. */
export function createFlowSealer(clientSecret: string): FlowSealer {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'docprocessor', 'dp_oidc cookie signature', 32));
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  return {
    seal(flow) {
      const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    open(cookie, now = Date.now()) {
      const [payload, signature, ...rest] = (cookie ?? '').split('.');
      if (!payload || !signature || rest.length) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const flow = SsoFlow.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
        return flow.expiresAt > now ? flow : null;
      } catch {
        return null;
      }
    },
  };
}
