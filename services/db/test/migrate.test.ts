import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, importJobs, type DbClient } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

let testDb: TestDatabase;
let client: DbClient;

beforeAll(async () => {
  testDb = await createTestDatabase('db');
  client = createDbClient(testDb.url, { max: 2 });
});
afterAll(async () => {
  await client.close();
  await testDb.drop();
});

describe('migrations', () => {
  it('create every table of the schema', async () => {
    const rows = await client.sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public' order by 1`;
    expect(rows.map((r) => r.tablename)).toEqual([
      'api_keys',
      'audit_log',
      'contacts',
      'import_before_images',
      'import_failed_rows',
      'import_jobs',
      'import_row_errors',
      'import_templates',
      'products',
      'template_mappings',
      'user_sessions',
      'users',
      'webhook_deliveries',
      'webhooks',
    ]);
  });

  it('map int8 columns to numbers', async () => {
    await client.db.insert(importJobs).values({
      id: '00000000-0000-4000-8000-000000000001',
      status: 'pending',
      template: 'contacts',
      filename: 'a.csv',
      sizeBytes: 5_000_000_000,
      sha256: 'x',
      objectName: 'a',
    });
    const [row] = await client.sql<{ size_bytes: number }[]>`select size_bytes from import_jobs`;
    expect(row?.size_bytes).toBe(5_000_000_000);
  });

  it('keeps the products key case-insensitive', async () => {
    const lineage = `'00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 1`;
    await client.sql.unsafe(
      `insert into products (sku, name, price, quantity, active, import_job_id, import_run_id, source_row)
       values ('AB-1', 'x', 1, 1, true, ${lineage})`,
    );
    await expect(
      client.sql.unsafe(
        `insert into products (sku, name, price, quantity, active, import_job_id, import_run_id, source_row)
         values ('ab-1', 'y', 1, 1, true, ${lineage})`,
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});
