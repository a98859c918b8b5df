import { ErrorBody } from '@docprocessor/contracts';
import type { HttpAnswer } from './stream-upload.js';

/** What a refused upload prints: status, code and message, and when the server asks for it, when to try again. */
export function refusalLine(answer: HttpAnswer): string {
  const refusal = ErrorBody.safeParse(answer.body);
  const reason = refusal.success ? `${refusal.data.error.code}: ${refusal.data.error.message}` : `HTTP ${answer.status}`;
  // Retry-After is seconds (what this service sends) or an HTTP date.
  const after = answer.retryAfter;
  const retry = after ? ` (Retry-After: ${/^\d+$/.test(after) ? `${after} s` : after})` : '';
  return `The upload was refused (${answer.status}) — ${reason}${retry}`;
}
