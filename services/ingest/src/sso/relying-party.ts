import * as oidc from 'openid-client';
import { FLOW_MAX_AGE_SECONDS, type SsoFlow } from './flow-cookie.js';
import type { OidcSettings } from './sso-config.js';

/** Seconds a request to the provider may take before the sign-in fails (openid-client's default is 30). */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** Who the provider says signed in: `email` and `email_verified` of the ID token, or of userinfo when the token has none. */
export interface ProviderIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: unknown;
}

/** The relying party's two steps of the authorization code flow (PKCE, state, nonce), over openid-client. */
export interface RelyingParty {
  /** Where to send the browser, and what its flow cookie must keep until it comes back. */
  begin(redirectUri: string): Promise<{ url: URL; flow: SsoFlow }>;
  /** Checks the callback's `search` (state, issuer, code), exchanges the code and validates the ID token (issuer, audience, nonce). */
  finish(search: string, flow: SsoFlow): Promise<ProviderIdentity>;
}

export function createRelyingParty(settings: OidcSettings): RelyingParty {
  let discovered: Promise<oidc.Configuration> | undefined;
  // Read at the first sign-in, not at start: ingest starts while the provider is down, and retries discovery after a failure.
  const configuration = (): Promise<oidc.Configuration> => {
    if (discovered) return discovered;
    const attempt = oidc.discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      // Plain http only when the operator configured an http issuer, which sso-config refuses in production.
      ...(settings.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    discovered = attempt;
    attempt.catch(() => {
      if (discovered === attempt) discovered = undefined;
    });
    return attempt;
  };

  return {
    async begin(redirectUri) {
      const config = await configuration();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const flow: SsoFlow = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier,
        redirectUri,
        expiresAt: Date.now() + FLOW_MAX_AGE_SECONDS * 1000,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url, flow };
    },

    async finish(search, flow) {
      const config = await configuration();
      // The URL the provider redirected to, as registered: its origin and path make the token request's redirect_uri.
      const callbackUrl = new URL(flow.redirectUri);
      callbackUrl.search = search;
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider answered without an ID token');
      if (typeof claims.email === 'string') return { subject: claims.sub, email: claims.email, emailVerified: claims.email_verified };
      // Many providers keep the ID token small and give the profile's claims at userinfo, for the same subject.
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      return { subject: claims.sub, email: info.email, emailVerified: info.email_verified };
    },
  };
}
