import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  expectedOrigin,
  type SignInOptions,
  SSO_CALLBACK_PATH,
  SSO_FAILED_LOCATION,
  SSO_START_PATH,
  type SsoRefusalCode,
  sessionSettingsOf,
} from '@docprocessor/contracts';
import { recordSsoRefusal, signInBySso } from '@docprocessor/db';
import type { IngestConfig } from '../config.js';
import type { IngestContext } from '../imports/context.js';
import { setSessionCookie } from '../plugins/auth.js';
import { createFlowSealer, FLOW_COOKIE, FLOW_COOKIE_PATH, FLOW_MAX_AGE_SECONDS, type SsoFlow } from './flow-cookie.js';
import type { ProviderIdentity } from './relying-party.js';
import { oidcSettingsOf } from './sso-config.js';

/** Single sign-on as the sign-in page offers it; null unless OpenID Connect is configured (OIDC_ISSUER). */
export function ssoOption(config: IngestConfig): SignInOptions['sso'] {
  const settings = oidcSettingsOf(config);
  return settings ? { label: settings.label, url: SSO_START_PATH } : null;
}

const firstString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * `GET /api/session/oidc` sends the browser to the provider; the provider sends it back to the callback, which
 * signs the person in and goes to `/`. Every failure ends at `/?signin=failed` with a refused audit entry and a
 * log line, never an error page: the person is mid-navigation, not a script reading JSON. Off: both answer 404.
 */
export async function ssoRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  const settings = oidcSettingsOf(ctx.config);
  // openid-client is loaded only where single sign-on is configured: it is memory an upload could use.
  const relyingParty = settings && (await import('./relying-party.js')).createRelyingParty(settings);
  const sealer = settings && createFlowSealer(settings.clientSecret);
  const sessionSettings = sessionSettingsOf(ctx.config);
  const secureCookie = (request: FastifyRequest) => expectedOrigin(request, ctx.config.PUBLIC_ORIGIN).startsWith('https:');
  const notConfigured = () => new AppError('not_found', 'Single sign-on is not configured on this service');

  /** Ends a sign-in that did not work: a refused entry (unless already recorded), a log line, and the sign-in page. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    code: SsoRefusalCode,
    facts: Record<string, unknown> = {},
    alreadyRecorded = false,
  ) {
    request.log.warn({ code, ...facts }, 'single sign-on did not sign the person in');
    if (!alreadyRecorded) {
      const email = typeof facts.email === 'string' ? facts.email : null;
      await recordSsoRefusal(ctx.db.sql, { email, address: request.ip, code }).catch((error: unknown) =>
        request.log.error({ err: error, code }, 'could not record a refused single sign-on'),
      );
    }
    return reply.redirect(SSO_FAILED_LOCATION, 302);
  }

  app.get(SSO_START_PATH, async (request, reply) => {
    if (!settings || !relyingParty || !sealer) throw notConfigured();
    const redirectUri = settings.redirectUrl ?? `${expectedOrigin(request, ctx.config.PUBLIC_ORIGIN)}${SSO_CALLBACK_PATH}`;
    let started: { url: URL; flow: SsoFlow };
    try {
      started = await relyingParty.begin(redirectUri);
    } catch (error) {
      return refuse(request, reply, 'provider_unavailable', { err: error, issuer: settings.issuer.href });
    }
    void reply.setCookie(FLOW_COOKIE, sealer.seal(started.flow), {
      path: FLOW_COOKIE_PATH,
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET from another site, which Lax still sends the cookie with.
      sameSite: 'lax',
      secure: secureCookie(request),
      maxAge: FLOW_MAX_AGE_SECONDS,
    });
    return reply.redirect(started.url.href, 302);
  });

  app.get(SSO_CALLBACK_PATH, async (request, reply) => {
    if (!settings || !relyingParty || !sealer) throw notConfigured();
    const flow = sealer.open(request.cookies[FLOW_COOKIE]);
    void reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax' });
    const query = request.query as Record<string, unknown>;
    if (!flow) return refuse(request, reply, 'invalid_flow');
    if (firstString(query.state) !== flow.state) return refuse(request, reply, 'invalid_state');
    if (query.error !== undefined)
      return refuse(request, reply, 'provider_error', {
        providerError: firstString(query.error),
        description: firstString(query.error_description),
      });
    let identity: ProviderIdentity;
    try {
      identity = await relyingParty.finish(request.url.slice(request.url.indexOf('?')), flow);
    } catch (error) {
      return refuse(request, reply, 'token_exchange_failed', { err: error });
    }
    if (!identity.email) return refuse(request, reply, 'no_email', { subject: identity.subject });
    // An unverified address may not be the person's: it is not recorded as the actor, so it counts against nobody's limits.
    if (identity.emailVerified === false) return refuse(request, reply, 'email_not_verified', { subject: identity.subject });
    try {
      const result = await signInBySso(ctx.db, { email: identity.email, address: request.ip }, settings.policy, sessionSettings);
      if (!result.ok) return refuse(request, reply, result.reason, { email: identity.email }, true);
      request.log.info({ tenantId: result.tenantId, email: result.email, created: result.created }, 'signed in by single sign-on');
      setSessionCookie(request, reply, result.token, ctx);
      return reply.redirect('/', 302);
    } catch (error) {
      return refuse(request, reply, 'internal', { err: error, email: identity.email });
    }
  });
}
