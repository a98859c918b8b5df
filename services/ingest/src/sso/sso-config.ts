import { z } from 'zod';
import { Role, SSO_CALLBACK_PATH } from '@docprocessor/contracts';
import { TenantId } from '@docprocessor/db';

// Unset rather than an empty default, so the docs say "unset" and not an empty value.
const domains = z
  .string()
  .optional()
  .transform((value = '') =>
    value
      .split(',')
      .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
  );

/** Single sign-on by OpenID Connect (docs/people.md, "Single sign-on"): off unless OIDC_ISSUER is set. */
export const OidcEnv = z.object({
  OIDC_ISSUER: z
    .string()
    .url()
    .optional()
    .describe(
      "The OpenID provider's issuer (`https://accounts.example.com`); setting it turns single sign-on on. " +
        'Its discovery document is read at the first sign-in, not at start.',
    ),
  OIDC_CLIENT_ID: z
    .string()
    .optional()
    .describe('The client id this service is registered under at the provider (needed with `OIDC_ISSUER`).'),
  OIDC_CLIENT_SECRET: z
    .string()
    .optional()
    .describe('The client secret (needed with `OIDC_ISSUER`); it also keys the signature of the short-lived `dp_oidc` cookie.'),
  OIDC_LABEL: z.string().min(1).default('single sign-on').describe('What the sign-in page\'s button says after "Sign in with".'),
  OIDC_EMAIL_DOMAINS: domains.describe(
    'Email domains, comma-separated (`example.com,example.org`), whose people get an account at their first single sign-on; ' +
      'anyone else needs an account made beforehand (`npm run users`). Unset: single sign-on creates no account.',
  ),
  OIDC_DEFAULT_ROLE: Role.default('viewer').describe(
    'The role of an account made at a first single sign-on: `viewer`, `importer` or `admin`.',
  ),
  OIDC_TENANT: TenantId.default('default').describe('The tenant of an account made at a first single sign-on.'),
  OIDC_REDIRECT_URL: z
    .string()
    .url()
    .optional()
    .meta({
      description:
        'Where the provider sends people back to, as registered there; its path must be `/api/session/oidc/callback`. ' +
        'Set it when the origin people open is not the one a request shows.',
      derivedDefault: '$PUBLIC_ORIGIN (or the request’s origin) + /api/session/oidc/callback',
    }),
});
export type OidcEnv = z.output<typeof OidcEnv>;

/** Single sign-on settings once checked, or null when it is off. */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  label: string;
  redirectUrl: string | undefined;
  policy: { emailDomains: string[]; role: Role; tenantId: string };
}

/** Null when OIDC_ISSUER is unset; throws at start, naming what is missing, when it is set without its client. */
export function oidcSettingsOf(env: OidcEnv & { NODE_ENV: string }): OidcSettings | null {
  if (!env.OIDC_ISSUER) return null;
  const missing = (['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => !env[name]);
  if (missing.length) throw new Error(`Invalid ingest configuration: OIDC_ISSUER is set, so ${missing.join(' and ')} must be too`);
  const issuer = new URL(env.OIDC_ISSUER);
  // Tokens and the provider's keys travel over this connection; plain http is for a provider on the developer's machine.
  if (env.NODE_ENV === 'production' && issuer.protocol !== 'https:')
    throw new Error('Invalid ingest configuration: OIDC_ISSUER must be an https URL when NODE_ENV=production');
  if (env.OIDC_REDIRECT_URL && new URL(env.OIDC_REDIRECT_URL).pathname !== SSO_CALLBACK_PATH)
    throw new Error(`Invalid ingest configuration: OIDC_REDIRECT_URL must end with ${SSO_CALLBACK_PATH}`);
  return {
    issuer,
    clientId: env.OIDC_CLIENT_ID as string,
    clientSecret: env.OIDC_CLIENT_SECRET as string,
    label: env.OIDC_LABEL,
    redirectUrl: env.OIDC_REDIRECT_URL,
    policy: { emailDomains: env.OIDC_EMAIL_DOMAINS, role: env.OIDC_DEFAULT_ROLE, tenantId: env.OIDC_TENANT },
  };
}
