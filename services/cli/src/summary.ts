import { type Job, RowErrorList } from '@docprocessor/contracts';
import { count } from './progress-view.js';
import { getJson } from './stream-upload.js';

/** How many row errors the summary shows; the rest are one `errors.csv` away. */
const FIRST_ERRORS = 5;

/** Exit code of a job as the command ends: 0 completed with no failed rows (or still queued), 1 otherwise. */
export const exitCodeOf = (job: Job): 0 | 1 =>
  (job.status === 'completed' && job.failedRows === 0) || job.status === 'pending' || job.status === 'processing' ? 0 : 1;

/** The lines a person reads when the command ends. */
export async function summaryLines(url: string, key: string, job: Job): Promise<string[]> {
  const lines = [`${job.filename}: ${job.status} (job ${job.id}, template ${job.template})`];
  if (job.status === 'pending' || job.status === 'processing') {
    lines.push(`  watch it live at ${url} (or: GET ${url}/api/imports/${job.id})`);
    return lines;
  }
  lines.push(`  ${count(job.processedRows)} rows read, ${count(job.successRows)} imported, ${count(job.failedRows)} failed`);
  if (job.plan)
    lines.push(
      `  dry run, nothing written: would insert ${count(job.plan.insert)}, update ${count(job.plan.update)}, leave ${count(job.plan.unchanged)} unchanged`,
    );
  if (job.error) lines.push(`  ${job.error.code}: ${job.error.message}`);
  if (job.failedRows > 0) {
    const answer = await getJson(url, key, `/api/imports/${job.id}/errors?limit=${FIRST_ERRORS}`);
    const list = RowErrorList.safeParse(answer.body);
    if (list.success) {
      lines.push(`  first row errors (${count(list.data.total)} in all):`);
      for (const e of list.data.items)
        lines.push(`    row ${e.row}, ${e.column ?? '(row)'}: ${e.message}${e.value ? ` (${e.value})` : ''}`);
    }
    lines.push(`  all of them: ${url}/api/imports/${job.id}/errors.csv`);
  }
  return lines;
}
