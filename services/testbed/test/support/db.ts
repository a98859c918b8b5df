import postgres from 'postgres';
import type { Stack } from '../../src/stack.js';

/** A plain SQL handle on the stack's own database (what `psql` would show a person). */
export function openDb(stack: Stack): postgres.Sql {
  return postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
}
