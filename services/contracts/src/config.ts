import { z } from 'zod';
import { DEFAULT_BUS_NAMES, type BusNames } from './events.js';

// Every configuration default is written once: here or in a service's src/config.ts. `npm run docs` generates
// .env.example and docs/configuration.md from these schemas, descriptions included, and the scripts read theirs here.

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
const port = () => z.coerce.number().int().min(0).max(65535);
const busName = () => z.string().regex(/^[A-Za-z0-9_-]+$/);

/** `.meta()` of a variable whose default follows other variables: the docs show `derivedDefault` as its default. */
const derived = (description: string, derivedDefault: string) => ({ description, derivedDefault });

/** Variables every service reads. Each service extends this and parses `process.env` once at start (parseEnv). */
export const BaseEnv = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('`development`, `production` or `test` (npm test always uses `test`). With `production` the key `dev-key` is refused.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('How much the services log: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.'),
  DATABASE_URL: z
    .string()
    .url()
    .default('postgres://postgres@127.0.0.1:5432/docprocessor')
    .describe('PostgreSQL connection string. npm start creates the database when it is missing and applies migrations.'),
  NATS_URL: csv('nats://127.0.0.1:4222').describe('NATS server(s) with JetStream, comma-separated (`nats://a:4222,nats://b:4222`).'),
  NATS_STREAM: busName()
    .default(DEFAULT_BUS_NAMES.stream)
    .describe('JetStream stream holding every job event. Change the four NATS names to run two stacks on one NATS server.'),
  NATS_SUBJECT_PREFIX: busName()
    .default(DEFAULT_BUS_NAMES.subjectPrefix)
    .describe("Events are published on `<prefix>.<jobId>.<type>`; `nats sub 'imports.>'` shows them."),
  NATS_OBJECT_BUCKET: busName()
    .default(DEFAULT_BUS_NAMES.bucket)
    .describe('JetStream object store bucket holding the uploaded files (kept after the import: retry reads them again).'),
  NATS_CONSUMER: busName().default(DEFAULT_BUS_NAMES.consumer).describe('Durable consumer shared by all processor workers.'),
  NATS_REPLICAS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(5)])
    .default('auto')
    .describe(
      'Copies JetStream keeps of the events stream, the file bucket, the dead letters and the consumers: `1` to `5`, or `auto` ' +
        '(3 on a cluster of 3 or more servers, else its size; 1 on a single server; `auto` never lowers an existing stream).',
    ),
});
export type BaseEnv = z.infer<typeof BaseEnv>;

/** NATS_REPLICAS as parsed: a declared count, or `auto` (see bus/src/replicas.ts). */
export type NatsReplicas = BaseEnv['NATS_REPLICAS'];

export const busNamesFromEnv = (env: BaseEnv): BusNames => ({
  stream: env.NATS_STREAM,
  subjectPrefix: env.NATS_SUBJECT_PREFIX,
  bucket: env.NATS_OBJECT_BUCKET,
  consumer: env.NATS_CONSUMER,
});

export const ApiKeysEnv = z.object({
  API_KEYS: csv('dev-key')
    .transform((keys) => (keys.length === 1 && keys[0] === 'none' ? [] : keys))
    .describe(
      'Static API keys of the tenant `default`, comma-separated (the `X-API-Key` header, or `?apiKey=` on `/ws`); they act as `admin`. ' +
        '`none`: no static keys (people sign in, scripts use `npm run keys`). `dev-key` is refused when `NODE_ENV=production`.',
    ),
});

const minutes = () => z.coerce.number().int().positive();

/** Browser sessions (docs/people.md): read by ingest, which signs people in, and the gateway, which checks /ws. */
export const SessionEnv = z.object({
  SESSION_IDLE_MINUTES: minutes()
    .default(60)
    .describe('A session unused for this long ends (an open page watching live does not count as use).'),
  SESSION_MAX_HOURS: minutes().default(12).describe('A session ends this long after sign-in, used or not.'),
  SESSION_ROTATE_MINUTES: minutes()
    .default(15)
    .describe('A session in use gets a new cookie token this often (the old one works 60 s more).'),
  PUBLIC_ORIGIN: z
    .string()
    .url()
    .optional()
    .meta(
      derived(
        "The origin people open (`https://imports.example.com`): what a browser's `Origin` must be on a request that changes " +
          'something, and `https` makes the cookie `Secure`.',
        "the request's own scheme and host",
      ),
    ),
});
export type SessionEnv = z.output<typeof SessionEnv>;

/** The session settings as the db package's session functions take them. */
export const sessionSettingsOf = (env: SessionEnv) => ({
  idleMinutes: env.SESSION_IDLE_MINUTES,
  maxHours: env.SESSION_MAX_HOURS,
  rotateMinutes: env.SESSION_ROTATE_MINUTES,
});

/** Where the one origin (the gateway) listens; npm start's banner reads the same two variables. */
export const WebOriginEnv = z.object({
  WEB_PORT: port()
    .default(5173)
    .describe('The one origin people open: the UI, `/api/*`, `/ws` and `/metrics` at `http://localhost:$WEB_PORT`.'),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the gateway binds. The default keeps it off the network; `0.0.0.0` opens it to every interface (set `API_KEYS`).'),
});

/** Where ingest listens; the gateway derives its proxy target from the same two variables (withIngestUrl). */
export const IngestAddressEnv = z.object({
  INGEST_HOST: z.string().min(1).default('127.0.0.1').describe('Address the ingest API binds. Only the gateway needs to reach it.'),
  INGEST_PORT: port().default(3001).describe('Port of the ingest API.'),
});

/** What the gateway reads to find ingest: INGEST_URL, or else the address ingest itself binds. */
export const IngestUrlEnv = IngestAddressEnv.extend({
  INGEST_URL: z
    .string()
    .url()
    .optional()
    .meta(
      derived(
        'Where the gateway proxies `/api/*` and `/metrics` to (an ingest elsewhere); a wildcard `INGEST_HOST` becomes `127.0.0.1`.',
        'http://$INGEST_HOST:$INGEST_PORT',
      ),
    ),
});

/** The MAX_UPLOAD_BYTES default (1 GiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** A bind address meaning every interface. */
export const isWildcardHost = (host: string): boolean => ['0.0.0.0', '::', ''].includes(host);
/** The address a client on this machine uses to reach a server bound to `host`. */
export const connectableHost = (host: string): string => (isWildcardHost(host) ? '127.0.0.1' : host);
export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** `http://host:port`, with an IPv6 address in brackets. */
export const httpOrigin = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Fills INGEST_URL, when unset, from INGEST_HOST and INGEST_PORT, so changing the port alone is enough. */
export const withIngestUrl = <T extends z.output<typeof IngestUrlEnv>>(env: T): T & { INGEST_URL: string } => ({
  ...env,
  INGEST_URL: env.INGEST_URL ?? httpOrigin(connectableHost(env.INGEST_HOST), env.INGEST_PORT),
});

/** What every script checks before it runs anything (npm start, test, run processor, migrate, bench). */
export const BackingServicesEnv = BaseEnv.pick({ DATABASE_URL: true, NATS_URL: true });

/** npm test and the bench: the PostgreSQL server their throwaway databases go on. */
export const TestEnv = BackingServicesEnv.extend({
  TEST_DATABASE_URL: z
    .string()
    .url()
    .optional()
    .meta(derived('PostgreSQL server npm test and the bench make their own databases on (its database name is ignored).', '$DATABASE_URL')),
}).transform((env) => ({ ...env, TEST_DATABASE_URL: env.TEST_DATABASE_URL ?? env.DATABASE_URL }));

/** What npm start reads for itself: the backing services, its banner, and the metrics port of its one worker. */
export const StartEnv = BackingServicesEnv.extend(BaseEnv.pick({ NATS_SUBJECT_PREFIX: true }).shape)
  .extend(ApiKeysEnv.shape)
  .extend(WebOriginEnv.shape)
  .extend({
    // `npm run processor` starts workers without a port (several may share a machine); npm start's one worker has one.
    PROCESSOR_METRICS_PORT: port().default(3002).describe("Port of the `/metrics` of npm start's processor worker, on 127.0.0.1."),
  });

/** Parses an environment once at start. Empty values (`WEB_PORT=` in a .env) count as unset. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>, who: string): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`Invalid ${who} configuration: ${problems}`);
}

/** The services that take API keys refuse to start with the development key in production. */
export function checkApiKeys(config: { NODE_ENV: BaseEnv['NODE_ENV']; API_KEYS: string[] }): void {
  if (config.NODE_ENV === 'production' && config.API_KEYS.includes('dev-key'))
    throw new Error('API_KEYS contains the development key "dev-key": set real keys before running with NODE_ENV=production');
}

/** One variable as the generated reference shows it. */
export interface EnvVariable {
  name: string;
  description: string | undefined;
  /** The schema's default, as a person would write it in a .env file. */
  default: string | undefined;
  /** For a default that follows other variables: how it is made. */
  derivedDefault: string | undefined;
}

/** The variables a schema reads, read back from its JSON Schema (input side: what a person sets). */
export function describeEnv(schema: z.ZodType): EnvVariable[] {
  type Property = { description?: string; default?: unknown; derivedDefault?: string };
  const { properties = {} } = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, Property> };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    description: property.description,
    default: property.default === undefined ? undefined : String(property.default),
    derivedDefault: property.derivedDefault,
  }));
}
