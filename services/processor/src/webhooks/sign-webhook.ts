import { createHmac } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256 of the raw body with the secret>`, the X-DocProcessor-Signature a receiver checks. */
export const signWebhook = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
