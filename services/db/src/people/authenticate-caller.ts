import type { Queries } from '../client.js';
import type { Authenticate, Principal } from '../api-keys/authenticate.js';
import { findSession, isSessionLive, type SessionMatch, type SessionSettings } from './session-store.js';

/** What a request may carry: an API key (header, or ?apiKey= on /ws), or a session cookie's token. */
export interface Credentials {
  apiKey?: string | undefined;
  sessionToken?: string | undefined;
}

export interface CallerAuthenticator {
  /** The caller, by key first (a wrong key is refused even beside a good cookie), else by the session's token. */
  identify(credentials: Credentials): Promise<SessionMatch | null>;
  /** Whether a caller identified earlier may still act: its key not revoked, its session not ended or expired. */
  stillValid(principal: Principal, credentials: Credentials): Promise<boolean>;
}

/** Keys and sessions behind one door, for ingest's routes and the gateway's /ws alike. */
export function createCallerAuthenticator(authenticateKey: Authenticate, sql: Queries, settings: SessionSettings): CallerAuthenticator {
  return {
    async identify({ apiKey, sessionToken }) {
      if (apiKey) {
        const principal = await authenticateKey(apiKey);
        return principal ? { principal } : null;
      }
      return sessionToken ? findSession(sql, sessionToken, settings) : null;
    },
    async stillValid(principal, { apiKey }) {
      if (principal.kind === 'session' && principal.sessionId) return isSessionLive(sql, principal.sessionId, settings);
      return (await authenticateKey(apiKey)) !== null;
    },
  };
}
