import { createSignal, type Accessor } from 'solid-js';
import { Me, type SignInOptions } from '@docprocessor/contracts';
import { isApiError } from '../api/errors';
import type { PeopleApi } from '../api/people';
import { permission, type Action, type Permission } from '../lib/permissions';

const STORAGE_KEY = 'docprocessor.apiKey';
/** Who was signed in on this tab (email, tenant, role; no secret), so a reload shows the right buttons at once. */
const ME_KEY = 'docprocessor.me';

export const KEY_REFUSED = 'The server refused this API key. Enter a valid key to continue.';
export const SESSION_ENDED =
  'Your session has ended (signed out elsewhere, idle for too long, or the account was disabled). Sign in again.';
export const WRONG_PAIR = 'That email and password do not match. Check both and try again.';
export const TOO_MANY = 'Too many failed sign-ins for this email or from this network. Wait a few minutes, then try again.';
export const UNREACHABLE =
  'The server could not be reached, so it is not known whether you are signed in. Sign in, or reload to try again.';

/** How the requests of a signed-in person authenticate: the HttpOnly cookie the browser sends by itself, or a key. */
export type Credential = { kind: 'cookie' } | { kind: 'key'; key: string };
export type SessionState = 'checking' | 'signed-out' | 'signed-in';

export interface Session {
  state: Accessor<SessionState>;
  /** A new object on each sign-in, null when signed out: what the live connection and the caches follow. */
  credential: Accessor<Credential | null>;
  /** The API key in use, if signed in with one (sent as X-API-Key); null for a cookie session. */
  key: Accessor<string | null>;
  /** Who is signed in, once the server said (`GET /api/me`). */
  me: Accessor<Me | null>;
  /** How this server lets people sign in; null until it answered. */
  options: Accessor<SignInOptions | null>;
  /** Why the sign-in page is shown again (refused key, ended session, wrong password); null on a first visit. */
  notice: Accessor<string | null>;
  /** Whether the signed-in role may do `action`, and if not, why (shown beside the button). */
  can(action: Action): Permission;
  /** Asks the server whether the browser already holds a session (or the stored key still works). */
  start(): Promise<void>;
  signInWithPassword(email: string, password: string): Promise<boolean>;
  signInWithKey(key: string): void;
  /** Signs out here at once, then tells the server (DELETE /api/session) or forgets the key. */
  signOut(): Promise<void>;
  /** The server refused the credential (a 401 or an `unauthorized` frame): back to the sign-in page, saying why. */
  ended(): void;
}

/**
 * Who is signed in. A person signs in with email and password and the browser keeps the session as an HttpOnly
 * cookie, so no secret is ever in reach of scripts; in development an API key may be pasted instead, kept in
 * sessionStorage for the browser session and no longer.
 */
export function createSession(api: PeopleApi, storage: Storage | null = safeSessionStorage()): Session {
  const storedKey = read(storage, STORAGE_KEY);
  const remembered = rememberedMe(storage, storedKey);
  // What this tab last knew is used at once (the live connection starts); /api/me then confirms or ends it.
  const initial: Credential | null = storedKey ? { kind: 'key', key: storedKey } : remembered ? { kind: 'cookie' } : null;
  const [credential, setCredential] = createSignal<Credential | null>(initial);
  const [state, setState] = createSignal<SessionState>(initial ? 'signed-in' : 'checking');
  const [me, setMeSignal] = createSignal<Me | null>(remembered);
  const setMe = (who: Me | null) => {
    write(storage, ME_KEY, who && JSON.stringify(who));
    setMeSignal(who);
  };
  const [options, setOptions] = createSignal<SignInOptions | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const enter = (next: Credential, who: Me | null) => {
    setNotice(null);
    setMe(who);
    setCredential(next);
    setState('signed-in');
  };
  const leave = (message: string | null) => {
    if (credential()?.kind === 'key') write(storage, STORAGE_KEY, null);
    setMe(null);
    setCredential(null);
    setNotice(message);
    setState('signed-out');
  };
  const refusal = () => (credential()?.kind === 'key' ? KEY_REFUSED : SESSION_ENDED);
  // Only the answer for the credential that asked counts: a sign-out in between makes it stale.
  const whoIs = async (asked: Credential | null): Promise<void> => {
    try {
      const who = await api.me();
      if (credential() !== asked) return;
      if (asked) setMe(who);
      else enter({ kind: 'cookie' }, who);
    } catch (error) {
      if (credential() !== asked) return;
      if (!asked) leave(isApiError(error) && error.unauthorized ? null : UNREACHABLE);
      else if (isApiError(error) && error.unauthorized) leave(refusal());
    }
  };

  return {
    state,
    credential,
    key: () => {
      const current = credential();
      return current?.kind === 'key' ? current.key : null;
    },
    me,
    options,
    notice,
    can: (action) => permission(me()?.role ?? null, action),
    async start() {
      api.sessionOptions().then(setOptions, () => setOptions(null));
      await whoIs(credential());
    },
    async signInWithPassword(email, password) {
      // Emptied first, so the live region reads out even the same message again.
      setNotice(null);
      try {
        await api.signIn(email.trim(), password);
      } catch (error) {
        setNotice(signInProblem(error));
        return false;
      }
      const asked = { kind: 'cookie' } as const;
      enter(asked, null);
      await whoIs(asked);
      return state() === 'signed-in';
    },
    signInWithKey(value) {
      const trimmed = value.trim();
      if (!trimmed) return;
      write(storage, STORAGE_KEY, trimmed);
      const asked = { kind: 'key', key: trimmed } as const;
      enter(asked, null);
      void whoIs(asked);
    },
    async signOut() {
      const was = credential();
      leave(null);
      if (was?.kind !== 'cookie') return;
      // The socket is already closed (we left first), so the server ending it is not mistaken for an expiry.
      await api.signOut().catch(() => setNotice('Signed out on this page, but the server could not be told; the session ends by itself.'));
    },
    ended() {
      if (state() === 'signed-in') leave(refusal());
    },
  };
}

function signInProblem(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.';
  const known: Record<number, string> = { 401: WRONG_PAIR, 429: TOO_MANY };
  return known[error.status] ?? error.message;
}

// Storage throws in some privacy modes; the key then lives only in memory.
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The identity remembered for this tab: a key's only with that key, a person's only without one. */
function rememberedMe(storage: Storage | null, key: string | null): Me | null {
  let parsed: ReturnType<typeof Me.safeParse>;
  try {
    parsed = Me.safeParse(JSON.parse(read(storage, ME_KEY) ?? 'null'));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  return (parsed.data.via === 'key') === (key !== null) ? parsed.data : null;
}

function read(storage: Storage | null, name: string): string | null {
  try {
    return storage?.getItem(name) || null;
  } catch {
    return null;
  }
}

function write(storage: Storage | null, name: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(name);
    else storage?.setItem(name, value);
  } catch {
    /* memory only */
  }
}
