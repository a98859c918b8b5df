import { AuditList, Me, SignInOptions } from '@docprocessor/contracts';

/** Sign-in, who the caller is, and the audit log (CONTRACT.md, "People and roles"). */
export interface PeopleApi {
  /** How a person may sign in here: password, an API key (development only), single sign-on. */
  sessionOptions(): Promise<SignInOptions>;
  /** Who the cookie or key is; a 401 (ApiError `unauthorized`) when neither is signed in. */
  me(): Promise<Me>;
  /** Starts a cookie session; a wrong pair is a 401 and too many failures a 429, both as ApiError. */
  signIn(email: string, password: string): Promise<void>;
  /** Ends the cookie session (the server clears the cookie). */
  signOut(): Promise<void>;
  /** One page of the tenant's audit log, newest first (admin). */
  listAudit(cursor?: string | null, limit?: number): Promise<AuditList>;
  /** Who started and changed one job, newest first. */
  jobAudit(jobId: string): Promise<AuditList>;
}

/** What the people calls need from the HTTP client: `quiet` calls leave a 401 to the caller instead of reporting it. */
export interface Transport {
  send(path: string, init?: RequestInit, quiet?: boolean): Promise<Response>;
  json<T>(
    schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown } },
    path: string,
    init?: RequestInit,
    quiet?: boolean,
  ): Promise<T>;
}

export function peopleCalls({ send, json }: Transport): PeopleApi {
  return {
    sessionOptions: () => json<SignInOptions>(SignInOptions, '/api/session/options', undefined, true),
    // Asked at start-up and after a refused socket: a 401 there means "not signed in", which the session store decides on.
    me: () => json<Me>(Me, '/api/me', undefined, true),
    signIn: async (email, password) => {
      const body = JSON.stringify({ email, password });
      await send('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body }, true);
    },
    signOut: async () => {
      await send('/api/session', { method: 'DELETE' }, true);
    },
    listAudit: (cursor, limit = 50) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      return json<AuditList>(AuditList, `/api/audit?${query}`);
    },
    jobAudit: (jobId) => json<AuditList>(AuditList, `/api/imports/${encodeURIComponent(jobId)}/audit`),
  };
}
