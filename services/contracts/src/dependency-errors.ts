/**
 * Which dependency an error says is away, read from the signals its library documents (no I/O, no regex over
 * messages): postgres.js raises `PostgresError` with the server's SQLSTATE, and plain errors with a `code` of
 * its own or the socket's for a connection that failed or closed; nats.js raises error classes by `name`.
 * Ingest maps the answer to a 503, the processor to a retry and, at the end, to the job's failure.
 * services/processor/test/dependency-errors.test.ts makes real errors of both libraries and checks this reads them.
 */
export type DependencyErrorCode = 'database_unavailable' | 'nats_unavailable';

/**
 * SQLSTATE classes and codes of a server that is away, restarting or full: 08 connection exception,
 * 57P01-03 shutdown, 53300 too many connections.
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** Server functions that refuse a new session: the database does not accept connections now (55000), too many for the role, ... */
const POSTGRES_STARTUP_ROUTINES = new Set(['CheckMyDatabase', 'InitPostgres', 'ProcessStartupPacket']);
/** postgres.js's own connection errors (its errors.js), and the socket's when the server cannot be reached. */
const POSTGRES_CONNECTION = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** nats.js (nats-core errors.ts, jetstream jserrors.ts) class names for a server that is away or not answering. */
const NATS_UNAVAILABLE = new Set([
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'TimeoutError',
  'NoResponders',
  'RequestError',
  'JetStreamNotEnabled',
  'StreamNotFoundError',
  'ConsumerNotFoundError',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  routine?: unknown;
  cause?: unknown;
}

function classifyOne(error: ErrorShape): DependencyErrorCode | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (error.name === 'PostgresError')
    return POSTGRES_UNAVAILABLE.test(code) || POSTGRES_STARTUP_ROUTINES.has(String(error.routine)) ? 'database_unavailable' : null;
  if (POSTGRES_CONNECTION.has(code)) return 'database_unavailable';
  if (typeof error.name === 'string' && NATS_UNAVAILABLE.has(error.name)) return 'nats_unavailable';
  return null;
}

/** The dependency an error (or an error it was caused by) says is away, or null for any other error. */
export function dependencyErrorCode(error: unknown): DependencyErrorCode | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const found = classifyOne(current as ErrorShape);
    if (found) return found;
    current = (current as ErrorShape).cause;
  }
  return null;
}
