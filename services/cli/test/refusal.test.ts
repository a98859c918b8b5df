import { describe, expect, it } from 'vitest';
import { refusalLine } from '../src/refusal.js';

describe('refusalLine', () => {
  const busy = { error: { code: 'service_unavailable', message: 'Too busy to take more work' } };

  it('names the status, code and message, and when to try again from Retry-After', () => {
    expect(refusalLine({ status: 503, body: busy, retryAfter: '30' })).toBe(
      'The upload was refused (503) — service_unavailable: Too busy to take more work (Retry-After: 30 s)',
    );
    expect(refusalLine({ status: 503, body: busy, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' })).toMatch(
      /\(Retry-After: Wed, 21 Oct 2026 07:28:00 GMT\)$/,
    );
  });

  it('says nothing of retrying without the header, and falls back to the status for a body not in the error shape', () => {
    expect(refusalLine({ status: 400, body: { error: { code: 'unknown_template', message: 'No template x' } } })).toBe(
      'The upload was refused (400) — unknown_template: No template x',
    );
    expect(refusalLine({ status: 502, body: '<html>Bad Gateway</html>' })).toBe('The upload was refused (502) — HTTP 502');
  });
});
