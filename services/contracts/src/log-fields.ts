/** `/api/imports/<uuid>` and everything under it: the job a request is about. */
const JOB_PATH = /^\/api\/imports\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i;

/**
 * The job id a request URL names, for the `jobId` field of its log lines (every log line about a job carries
 * one, so `jobId` finds a job's whole story across services); undefined for a URL about no single job.
 */
export function jobIdOfPath(url: string): string | undefined {
  return JOB_PATH.exec(url)?.[1]?.toLowerCase();
}
