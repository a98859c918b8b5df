import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionResults } from 'oidc-provider';

export const CLIENT_ID = 'docprocessor-test';
export const CLIENT_SECRET = 'a client secret for the tests only';

/** Who the next sign-in at the provider is, as the provider vouches for them. */
export interface ProviderPerson {
  email: string;
  emailVerified: boolean;
}

export interface LocalOidcProvider {
  issuer: string;
  /** Registers the one client, now that the app's port (its redirect_uri) is known. */
  start(redirectUri: string): void;
  /** The person the provider signs in from now on, without asking (login and consent are granted at once). */
  signInAs(person: ProviderPerson): void;
  close(): Promise<void>;
}

/**
 * oidc-provider on 127.0.0.1:0, never the network. Its port is needed before the app is built (OIDC_ISSUER) and the
 * app's port before the provider is (the client's redirect_uri): the server listens first and gets its handler later.
 * Interactions are answered by a handler of our own that logs in `signInAs`'s person and grants what is asked.
 */
export async function startLocalOidcProvider(): Promise<LocalOidcProvider> {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let person: ProviderPerson = { email: 'nobody@example.test', emailVerified: true };

  return {
    issuer,
    start(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        // The account id is the email the test chose; the claims are what the provider vouches for.
        findAccount: (_ctx, accountId) => ({
          accountId,
          claims: () => ({ sub: accountId, email: person.email, email_verified: person.emailVerified }),
        }),
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        cookies: { keys: ['cookie key for the tests only'] },
        jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
        // Set, so the provider does not print a notice about each default it would otherwise use.
        ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        pkce: { required: () => true, methods: ['S256'] },
      });
      const callback = provider.callback();
      handle = (req, res) => {
        if (!req.url?.startsWith('/interaction/')) return callback(req, res);
        completeInteraction(provider, req, res, person.email).catch((error: unknown) => res.writeHead(500).end(String(error)));
      };
    },
    signInAs(next) {
      person = next;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** What a person would click through: log in as `accountId`, then consent to every scope and claim asked for. */
async function completeInteraction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, accountId: string) {
  const interaction = await provider.interactionDetails(req, res);
  let result: InteractionResults;
  if (interaction.prompt.name === 'login') {
    result = { login: { accountId } };
  } else {
    const grant = new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}
