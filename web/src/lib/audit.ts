import type { AuditAction, AuditEntry } from '@docprocessor/contracts';

/** Each action as a person says it, past tense, and what "tried to" says when it was refused or failed. */
const ACTION_LABELS: Record<AuditAction, { done: string; tried: string }> = {
  'import.create': { done: 'Started', tried: 'start' },
  'import.cancel': { done: 'Cancelled', tried: 'cancel' },
  'import.retry': { done: 'Retried', tried: 'retry' },
  'import.commit': { done: 'Imported for real', tried: 'import for real' },
  'import.fix': { done: 'Fixes uploaded', tried: 'upload fixes' },
  'import.revert': { done: 'Reverted', tried: 'revert' },
  'template.create': { done: 'Template created', tried: 'create a template' },
  'template.update': { done: 'Template changed', tried: 'change a template' },
  'template.delete': { done: 'Template deleted', tried: 'delete a template' },
  'webhook.create': { done: 'Webhook added', tried: 'add a webhook' },
  'webhook.delete': { done: 'Webhook removed', tried: 'remove a webhook' },
  'key.create': { done: 'API key created', tried: 'create an API key' },
  'key.revoke': { done: 'API key revoked', tried: 'revoke an API key' },
  'user.create': { done: 'User created', tried: 'create a user' },
  'user.disable': { done: 'User disabled', tried: 'disable a user' },
  'session.sign_in': { done: 'Signed in', tried: 'sign in' },
  'session.sign_out': { done: 'Signed out', tried: 'sign out' },
};

/** "Started", or "Tried to cancel (refused: forbidden)": what the entry says happened. */
export function describeAction(entry: Pick<AuditEntry, 'action' | 'outcome' | 'detail'>): string {
  const label = ACTION_LABELS[entry.action];
  if (entry.outcome === 'ok') return label.done;
  const code = typeof entry.detail?.code === 'string' ? `: ${entry.detail.code}` : '';
  return `Tried to ${label.tried} (${entry.outcome}${code})`;
}

/** "Started by ann@example.com": one line of a job's history. */
export const describeJobEntry = (entry: AuditEntry): string => `${describeAction(entry)} by ${actorName(entry.actor)}`;

/** `key:<name>` is an API key, `cli` the admin commands; anything else is a person's email. */
export function actorName(actor: string): string {
  if (actor === 'cli') return 'the command line';
  if (actor.startsWith('key:')) return `API key ${actor.slice(4)}`;
  return actor;
}

/**
 * The detail worth showing beside an entry, as `name=value` pairs (never secrets: the server keeps none there); the
 * error code of a refusal is already in its description.
 */
export function detailText(entry: Pick<AuditEntry, 'detail' | 'outcome'>): string {
  if (!entry.detail) return '';
  return Object.entries(entry.detail)
    .filter(([name]) => !(name === 'code' && entry.outcome !== 'ok'))
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}
