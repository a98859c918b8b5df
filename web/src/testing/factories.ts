import type { AuditEntry, Job, Me, Role, RowErrorList } from '@docprocessor/contracts';
import type { Api } from '../api/http';

let seq = 0;

/** A valid job; override what the test is about. */
export function makeJob(overrides: Partial<Job> = {}): Job {
  seq += 1;
  return {
    id: `job-${seq}`,
    status: 'pending',
    template: 'contacts',
    filename: 'contacts.csv',
    sizeBytes: 2048,
    sha256: 'ab'.repeat(32),
    onDuplicate: 'error',
    encoding: 'utf-8',
    delimiter: ',',
    format: 'csv',
    sheet: null,
    mapping: null,
    dryRun: false,
    plan: null,
    dryRunOf: null,
    maxErrors: null,
    maxErrorRate: null,
    atomic: false,
    fixes: [],
    revert: null,
    totalRows: null,
    processedRows: 0,
    successRows: 0,
    failedRows: 0,
    bytesProcessed: 0,
    progress: 0,
    rowsPerSecond: null,
    etaSeconds: null,
    error: null,
    duplicateOf: null,
    ignoredColumns: [],
    attempt: 1,
    resumedFromRow: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Who `GET /api/me` says is signed in: by default the development key, which acts as admin. */
export function makeMe(role: Role = 'admin', overrides: Partial<Me> = {}): Me {
  return { email: null, tenant: 'default', role, via: 'key', actor: 'key:dev', ...overrides };
}

/** A person signed in by cookie with `role`. */
export const personMe = (role: Role, email = `${role}@example.com`): Me => makeMe(role, { email, via: 'session', actor: email });

let auditSeq = 0;

/** One audit log entry; override what the test is about. */
export function makeAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  auditSeq += 1;
  return {
    id: `audit-${auditSeq}`,
    at: '2025-01-01T12:03:00.000Z',
    actor: 'ann@example.com',
    action: 'import.create',
    target: 'job:job-1',
    outcome: 'ok',
    detail: null,
    ...overrides,
  };
}

const never = () => new Promise<never>(() => undefined);
const emptyErrors: RowErrorList = { items: [], total: 0, nextCursor: null };

/** An Api whose calls never settle unless the test overrides them. */
export function fakeApi(overrides: Partial<Api> = {}): Api {
  return {
    listTemplates: never,
    getTemplate: never,
    createTemplate: never,
    updateTemplate: never,
    deleteTemplate: never,
    preview: never,
    commit: never,
    revertPlan: never,
    revert: never,
    uploadFixes: never,
    getJob: never,
    listJobs: () => Promise.resolve({ items: [], nextCursor: null }),
    listErrors: () => Promise.resolve(emptyErrors),
    errorSummary: () => Promise.resolve({ items: [], total: 0 }),
    listWebhookDeliveries: () => Promise.resolve({ items: [] }),
    cancel: never,
    retry: never,
    downloadErrorsCsv: never,
    upload: never,
    health: never,
    sessionOptions: () => Promise.resolve({ password: true, apiKey: true, sso: null }),
    me: () => Promise.resolve(makeMe()),
    signIn: () => Promise.resolve(),
    signOut: () => Promise.resolve(),
    listAudit: () => Promise.resolve({ items: [], nextCursor: null }),
    jobAudit: () => Promise.resolve({ items: [], nextCursor: null }),
    ...overrides,
  };
}
