import type { SignInOptions } from '@docprocessor/contracts';
import type { IngestConfig } from '../config.js';

/** Single sign-on as the sign-in page offers it; null until OpenID Connect is configured. */
export function ssoOption(_config: IngestConfig): SignInOptions['sso'] {
  return null;
}
