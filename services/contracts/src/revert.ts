import { z } from 'zod';

/** A later import that changed rows this one wrote: reverting this one would undo its work too. */
export const RevertConflict = z.object({ jobId: z.string(), rows: z.number().int() });
export type RevertConflict = z.infer<typeof RevertConflict>;

/** GET /api/imports/:id/revert: what a revert would do, computed without changing anything. */
export const RevertPlan = z.object({
  /** Rows the import inserted, which a revert deletes. */
  toDelete: z.number().int(),
  /** Rows the import updated, which a revert gives their earlier values back. */
  toRestore: z.number().int(),
  /** Non-empty: the revert is refused with `409 revert_conflict`. */
  conflicts: z.array(RevertConflict),
  /** The before-images the revert needs were dropped by retention: refused with `409 revert_expired`. */
  expired: z.boolean(),
});
export type RevertPlan = z.infer<typeof RevertPlan>;
