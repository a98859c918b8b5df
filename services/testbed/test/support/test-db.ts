import { isTerminal } from '@docprocessor/contracts';
import { createDbClient, jobFromSql, type DbClient, type ImportJobRow } from '@docprocessor/db';
import { eventually } from './wait.js';

/** Read-only access to the stack's database for assertions (and the odd fault the test injects on purpose). */
export class TestDb {
  private constructor(readonly client: DbClient) {}

  static open(url: string): TestDb {
    return new TestDb(createDbClient(url, { max: 3, applicationName: 'fault-test' }));
  }

  get sql() {
    return this.client.sql;
  }

  async job(id: string): Promise<ImportJobRow> {
    const [record] = await this.sql`select * from import_jobs where id = ${id}`;
    if (!record) throw new Error(`no job ${id}`);
    return jobFromSql(record);
  }

  waitForFinal(id: string, timeoutMs = 120_000): Promise<ImportJobRow> {
    return eventually(
      async () => {
        const job = await this.job(id);
        return isTerminal(job.status) && job;
      },
      `job ${id} to reach a final state`,
      timeoutMs,
    );
  }

  /**
   * What the job left behind: its rows in `contacts` and its stored row errors, counted every way that could hide a
   * double (`firstId`: the id of the file's row 1, so a row error can be matched to the id that row would have had).
   */
  async footprint(jobId: string, firstId = 1) {
    const [rows] = await this.sql<[{ n: number; ids: number; min: number | null; max: number | null }]>`
      select count(*)::int as n, count(distinct id)::int as ids, min(id)::int as min, max(id)::int as max
      from contacts where import_job_id = ${jobId}`;
    const [errors] = await this.sql<[{ n: number; rows: number; overlap: number }]>`
      select count(*)::int as n, count(distinct row)::int as rows,
        (select count(*)::int from import_row_errors e
          join contacts c on c.id = e.row + ${firstId - 1} where e.job_id = ${jobId}) as overlap
      from import_row_errors where job_id = ${jobId}`;
    const [all] = await this.sql<[{ n: number }]>`select count(*)::int as n from contacts`;
    return {
      rows: rows.n,
      distinctIds: rows.ids,
      minId: rows.min,
      maxId: rows.max,
      errors: errors.n,
      errorRows: errors.rows,
      overlap: errors.overlap,
      tableRows: all.n,
    };
  }

  /** One checksum of the table's data columns (not lineage), to compare runs. */
  async contactsChecksum(): Promise<{ n: number; md5: string }> {
    const [row] = await this.sql<[{ n: number; md5: string }]>`
      select count(*)::int as n, md5(coalesce(string_agg(
        concat_ws('|', id, email, first_name, last_name, company, country, signup_date, amount, active, notes),
        E'\n' order by id), '')) as md5
      from contacts`;
    return row;
  }

  async errorRows(jobId: string): Promise<Array<{ row: number; code: string }>> {
    return this.sql<Array<{ row: number; code: string }>>`
      select row::int, code from import_row_errors where job_id = ${jobId} order by row, code`;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
