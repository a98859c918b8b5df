/** The URL of one job's page. */
export const jobPath = (id: string): string => `/jobs/${encodeURIComponent(id)}`;
