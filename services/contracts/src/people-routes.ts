import { JobIdParams } from './api.js';
import { notFound, refused, type ApiRoute } from './api-route.js';
import { AuditList, ListAuditQuery, Me, SignIn, SignInOptions, SSO_CALLBACK_PATH, SSO_START_PATH } from './people.js';

/** Sign-in, who the caller is, and the audit log (CONTRACT.md, "People and roles"). */
export const PEOPLE_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/session',
    tag: 'people',
    access: 'open',
    audit: 'session.sign_in',
    summary: 'Sign in with email and password: a session cookie (HttpOnly, SameSite=Lax)',
    json: SignIn,
    responses: {
      204: { description: 'signed in; the cookie is set' },
      401: refused('a wrong email or password, whether the account exists or not'),
      429: refused('too many failed sign-ins for this email or from this address'),
    },
  },
  {
    method: 'delete',
    path: '/api/session',
    tag: 'people',
    access: 'open',
    audit: 'session.sign_out',
    summary: 'Sign out: the session ends and the cookie is cleared',
    responses: { 204: { description: 'signed out (also when there was no session)' } },
  },
  {
    method: 'get',
    path: '/api/session/options',
    tag: 'people',
    access: 'open',
    summary: 'How the sign-in page may sign a person in (password, an API key in development, single sign-on)',
    responses: { 200: { description: 'the options', schema: SignInOptions } },
  },
  {
    method: 'get',
    path: SSO_START_PATH,
    tag: 'people',
    access: 'open',
    summary: 'Single sign-on (OpenID Connect): redirects the browser to the provider; 404 unless OIDC_ISSUER is set',
    responses: {
      302: { description: 'to the provider, with a short-lived signed cookie `dp_oidc` (state, nonce, PKCE verifier)' },
      404: refused('single sign-on is not configured (`not_found`)'),
    },
  },
  {
    method: 'get',
    path: SSO_CALLBACK_PATH,
    tag: 'people',
    access: 'open',
    audit: 'session.sign_in',
    summary: "Where the provider sends the browser back: checks state, nonce and the ID token, signs the person in, goes to '/'",
    responses: {
      302: { description: 'signed in: to `/` with the session cookie; refused or failed: to `/?signin=failed`' },
      404: refused('single sign-on is not configured (`not_found`)'),
    },
  },
  {
    method: 'get',
    path: '/api/me',
    tag: 'people',
    access: 'viewer',
    summary: 'Who the session or key is: email, tenant, role',
    responses: { 200: { description: 'the caller', schema: Me } },
  },
  {
    method: 'get',
    path: '/api/audit',
    tag: 'people',
    access: 'admin',
    summary: "The tenant's audit log, newest first: who did what to what, and how it ended",
    query: ListAuditQuery,
    responses: { 200: { description: 'a page of entries', schema: AuditList } },
  },
  {
    method: 'get',
    path: '/api/imports/{id}/audit',
    tag: 'imports',
    access: 'viewer',
    summary: 'Who started and changed this job, newest first',
    params: JobIdParams,
    responses: { 200: { description: "the job's entries", schema: AuditList }, 404: notFound },
  },
];
