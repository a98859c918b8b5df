import type { LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '@docprocessor/contracts';
import { createUser, type NewUser } from '@docprocessor/db';
import type { Harness } from './helper.js';

/** The host the tests' requests name, and so the one origin a browser's request must come from. */
export const HOST = 'imports.test';
export const ORIGIN = `http://${HOST}`;
export const PASSWORD = 'correct horse battery staple';

/** The session token a response set, if any. */
export function sessionTokenOf(response: LightMyRequestResponse): string | undefined {
  return response.cookies.find((cookie) => cookie.name === SESSION_COOKIE && cookie.value !== '')?.value;
}

export const signIn = (h: Harness, email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/session', headers: { host: HOST, origin: ORIGIN, ...headers }, payload: { email, password } });

/** A person of `role` in `tenantId`, signed in: the token their browser's cookie would carry. */
export async function personWithSession(h: Harness, user: Omit<NewUser, 'password'>): Promise<string> {
  await createUser(h.ctx.db, { ...user, password: PASSWORD });
  const token = sessionTokenOf(await signIn(h, user.email));
  if (!token) throw new Error(`${user.email} could not sign in`);
  return token;
}

/** A request as a browser on the one origin sends it, with the session cookie. */
export const asBrowser = (token: string, origin: string | null = ORIGIN): Record<string, string> => ({
  host: HOST,
  cookie: `${SESSION_COOKIE}=${token}`,
  ...(origin === null ? {} : { origin }),
});
