import { z } from 'zod';

/**
 * Who may do what. Each role includes the ones before it: a viewer reads, an importer also starts and mends
 * imports, an admin also owns the tenant's templates, reverts, webhooks, keys and users.
 */
export const ROLES = ['viewer', 'importer', 'admin'] as const;
export const Role = z.enum(ROLES).describe('`viewer` (read), `importer` (also upload, cancel, retry, fixes, commits), `admin` (all)');
export type Role = z.infer<typeof Role>;

/** True when a caller of role `has` may use what needs role `needs`. */
export const roleAllows = (has: Role, needs: Role): boolean => ROLES.indexOf(has) >= ROLES.indexOf(needs);

/** The role a stored API key gets when none is asked for: today's keys upload, cancel and retry. */
export const DEFAULT_KEY_ROLE: Role = 'importer';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

/** POST /api/session. */
export const SignIn = z.object({
  email: z.string().max(254).describe('The account’s email (any case).'),
  password: z.string().max(1024),
});
export type SignIn = z.infer<typeof SignIn>;

/** GET /api/me: who the session or key is. */
export const Me = z.object({
  email: z.string().nullable().describe('The signed-in person’s email; null for an API key.'),
  tenant: z.string(),
  role: Role,
  /** How the caller authenticated. */
  via: z.enum(['session', 'key']),
  /** What the audit log calls this caller: the email, or `key:<name>`. */
  actor: z.string(),
});
export type Me = z.infer<typeof Me>;

/** GET /api/session/options (open): how the sign-in page may sign a person in. */
export const SignInOptions = z.object({
  /** Password sign-in (POST /api/session) is always there. */
  password: z.literal(true),
  /** Pasting an API key in the UI: development only (refused with NODE_ENV=production). */
  apiKey: z.boolean(),
  /** "Sign in with …": OpenID Connect, when configured. */
  sso: z.object({ label: z.string(), url: z.string() }).nullable(),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

/** Single sign-on (OpenID Connect): where the sign-in page's button leads, and where the provider sends people back. */
export const SSO_START_PATH = '/api/session/oidc';
export const SSO_CALLBACK_PATH = '/api/session/oidc/callback';
/** Where a single sign-on that did not sign the person in ends: the sign-in page, which says so. */
export const SSO_FAILED_LOCATION = '/?signin=failed';

/** Why a single sign-on was refused: the `detail.code` of its `session.sign_in` audit entry (docs/people.md, "Single sign-on"). */
export const SsoRefusalCode = z.enum([
  'invalid_flow',
  'invalid_state',
  'provider_error',
  'provider_unavailable',
  'token_exchange_failed',
  'no_email',
  'email_not_verified',
  'invalid_email',
  'unknown_domain',
  'account_disabled',
  'internal',
]);
export type SsoRefusalCode = z.infer<typeof SsoRefusalCode>;

/** Every action the audit log records. A new action is added here, never renamed. */
export const AUDIT_ACTIONS = [
  'import.create',
  'import.cancel',
  'import.retry',
  'import.commit',
  'import.fix',
  'import.revert',
  'template.create',
  'template.update',
  'template.delete',
  'webhook.create',
  'webhook.delete',
  'key.create',
  'key.revoke',
  'user.create',
  'user.disable',
  'session.sign_in',
  'session.sign_out',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** `ok`: done; `refused`: the service said no (a 4xx, a wrong password); `failed`: it could not (a 5xx). */
export const AuditOutcome = z.enum(['ok', 'refused', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string().datetime({ offset: true }),
  /** The email of a person, `key:<name>` of an API key, `cli` for npm run users/keys, or what a failed sign-in gave. */
  actor: z.string(),
  action: AuditAction,
  /** What was acted on: `job:<id>`, `template:<name>`, `webhook:<id>`, `key:<id>`, `user:<email>`. */
  target: z.string().nullable(),
  outcome: AuditOutcome,
  /** The error code of a refusal or failure, and any detail worth keeping (never a secret). */
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditList = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;

export const ListAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page.'),
  target: z.string().max(200).optional().describe('Only entries about this target, e.g. `job:<id>`.'),
});
export type ListAuditQuery = z.infer<typeof ListAuditQuery>;

/** The cookie a browser session rides on. */
export const SESSION_COOKIE = 'dp_session';

type HeaderValue = string | string[] | undefined;
const firstValue = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/**
 * The one origin a browser's requests must come from (CSRF, cross-site WebSockets): PUBLIC_ORIGIN, or else the
 * scheme and host the gateway was reached at. A browser cannot set X-Forwarded-* on another site's request.
 */
export function expectedOrigin(
  request: { protocol: string; headers: Record<string, HeaderValue> },
  publicOrigin: string | undefined,
): string {
  if (publicOrigin) return new URL(publicOrigin).origin;
  const proto = firstValue(request.headers['x-forwarded-proto']) ?? request.protocol;
  const host = firstValue(request.headers['x-forwarded-host']) ?? firstValue(request.headers.host) ?? '';
  return `${proto}://${host}`;
}
