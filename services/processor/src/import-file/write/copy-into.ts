import type { Connection } from '@docprocessor/db';

/** A COPY that PostgreSQL refused; its transaction (or savepoint) is aborted. */
export class CopyRefusedError extends Error {
  override readonly name = 'CopyRefusedError';
}

const errorCode = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/**
 * COPY FROM STDIN. postgres.js never settles a COPY that PostgreSQL refuses once all the data is sent
 * (it has handed its stream back already), so a query sent right behind the COPY tells: it fails with
 * "transaction aborted" exactly when the COPY failed.
 */
export async function copyInto(
  tx: Connection,
  target: string,
  columns: string[],
  data: string | Buffer,
  format: 'text' | 'binary' = 'text',
): Promise<void> {
  if (data.length === 0) return;
  const writable = await tx.unsafe(`copy ${target} (${columns.join(', ')}) from stdin with (format ${format})`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    writable.once('error', reject);
    writable.once('finish', resolve);
  });
  finished.catch(() => undefined); // settled below, or never when the COPY failed
  await new Promise<void>((resolve, reject) => writable.write(data, (error) => (error ? reject(error) : resolve())));
  writable.end();
  try {
    await tx.unsafe('select 1');
  } catch (error) {
    if (errorCode(error) === '25P02')
      throw new CopyRefusedError(`PostgreSQL refused the COPY into ${target} (its reason is in the server log)`);
    if (errorCode(error) !== 'COPY_IN_PROGRESS') throw error;
  }
  await finished;
}
