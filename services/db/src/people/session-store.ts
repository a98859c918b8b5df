import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@docprocessor/contracts';
import type { Queries } from '../client.js';
import type { Principal } from '../api-keys/authenticate.js';

/** The timeouts of sessions (SESSION_* settings). */
export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
  rotateMinutes: number;
}

/** How long a rotated-out token still works: requests already in flight with it are not signed out. */
const ROTATION_GRACE_SECONDS = 60;
/** last_seen_at is written at most this often per session: idle timeouts are minutes, a write per request is waste. */
const TOUCH_EVERY_SECONDS = 15;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

export interface SessionMatch {
  principal: Principal;
  /** Set when this request rotated the token: the caller sends it as the new cookie. */
  renewedToken?: string;
}

interface SessionUserRow {
  session_id: string;
  user_id: string;
  tenant_id: string;
  email: string;
  role: Role;
  current: boolean;
  rotate: boolean;
  touch: boolean;
}

export const sessionPrincipal = (row: {
  user_id: string;
  tenant_id: string;
  email: string;
  role: Role;
  session_id: string;
}): Principal => ({
  tenantId: row.tenant_id,
  keyId: `user:${row.user_id}`,
  keyName: row.email,
  role: row.role,
  kind: 'session',
  actor: row.email,
  email: row.email,
  userId: row.user_id,
  sessionId: row.session_id,
});

/** A new session for a user who just proved who they are; the token goes in the cookie and nowhere else. */
export async function startSession(sql: Queries, userId: string, settings: SessionSettings): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const [row] = await sql<{ id: string }[]>`
    insert into user_sessions (user_id, token_hash, expires_at)
    values (${userId}, ${hashToken(token)}, now() + make_interval(hours => ${settings.maxHours}))
    returning id`;
  if (!row) throw new Error('inserting the session returned no row');
  return { token, sessionId: row.id };
}

const live = (sql: Queries, settings: SessionSettings) => sql`
  s.ended_at is null and s.expires_at > now()
  and s.last_seen_at > now() - make_interval(mins => ${settings.idleMinutes}) and u.disabled_at is null`;

/**
 * The session a cookie's token names, if it is live (not ended, not past its idle or absolute timeout, its user
 * not disabled). Marks it seen, and rotates its token once it is older than `rotateMinutes`.
 */
export async function findSession(sql: Queries, token: string, settings: SessionSettings): Promise<SessionMatch | null> {
  const hash = hashToken(token);
  const [row] = await sql<SessionUserRow[]>`
    select s.id as session_id, u.id as user_id, u.tenant_id, u.email, u.role,
           s.token_hash = ${hash} as current,
           s.rotated_at < now() - make_interval(mins => ${settings.rotateMinutes}) as rotate,
           s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}) as touch
    from user_sessions s join users u on u.id = s.user_id
    where (s.token_hash = ${hash} or (s.previous_token_hash = ${hash} and s.previous_valid_until > now()))
      and ${live(sql, settings)}
    limit 1`;
  if (!row) return null;
  const principal = sessionPrincipal(row);
  if (row.current && row.rotate) {
    const renewed = newToken();
    // Conditional on the token still being current: of two requests rotating at once, one wins, the other keeps the old.
    const [rotated] = await sql`
      update user_sessions set token_hash = ${hashToken(renewed)}, previous_token_hash = ${hash},
        previous_valid_until = now() + make_interval(secs => ${ROTATION_GRACE_SECONDS}), rotated_at = now(), last_seen_at = now()
      where id = ${row.session_id} and token_hash = ${hash}
      returning id`;
    if (rotated) return { principal, renewedToken: renewed };
  }
  if (row.touch) await sql`update user_sessions set last_seen_at = now() where id = ${row.session_id}`;
  return { principal };
}

/** Whether a session is still live, without marking it seen: an open WebSocket is not activity of the person. */
export async function isSessionLive(sql: Queries, sessionId: string, settings: SessionSettings): Promise<boolean> {
  const [row] = await sql`
    select 1 from user_sessions s join users u on u.id = s.user_id where s.id = ${sessionId} and ${live(sql, settings)}`;
  return row !== undefined;
}

/** Ends the session a token names (sign-out); returns its principal when there was a live one. */
export async function endSession(sql: Queries, token: string): Promise<Principal | null> {
  const hash = hashToken(token);
  const [row] = await sql<{ session_id: string; user_id: string; tenant_id: string; email: string; role: Role }[]>`
    update user_sessions s set ended_at = now() from users u
    where u.id = s.user_id and s.ended_at is null and (s.token_hash = ${hash} or s.previous_token_hash = ${hash})
    returning s.id as session_id, u.id as user_id, u.tenant_id, u.email, u.role`;
  return row ? sessionPrincipal(row) : null;
}
