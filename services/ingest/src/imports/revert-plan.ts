import { AppError, type RevertPlan } from '@docprocessor/contracts';
import { findJobRow, findTemplate, parseTableName, planRevert, qualified, type ImportJobRow, type Principal } from '@docprocessor/db';
import type { IngestContext } from './context.js';

/** PostgreSQL's "relation does not exist". */
const UNDEFINED_TABLE = '42P01';

/** What reverting the job would do to its template's table; a template or table gone since cannot be reverted. */
export async function planJobRevert(ctx: IngestContext, row: ImportJobRow): Promise<RevertPlan> {
  const template = await findTemplate(ctx.db, row.tenantId, row.template);
  if (!template) throw new AppError('invalid_state', `The template ${row.template} no longer exists, so this import cannot be reverted`);
  try {
    return await planRevert(ctx.db.sql, row, qualified(parseTableName(template.table, 'public')));
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE)
      throw new AppError('invalid_state', `The table ${template.table} no longer exists, so this import cannot be reverted`, {
        cause: error,
      });
    throw error;
  }
}

/** GET /api/imports/:id/revert: the revert's plan (rows to delete, to restore, conflicts, expired), changing nothing. */
export async function revertPlan({
  ctx,
  input,
}: {
  ctx: IngestContext;
  input: { principal: Principal; jobId: string };
}): Promise<RevertPlan> {
  const row = await findJobRow(ctx.db.db, input.jobId, { tenantId: input.principal.tenantId });
  if (!row) throw new AppError('not_found', `No import ${input.jobId}`);
  return planJobRevert(ctx, row);
}
