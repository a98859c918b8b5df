import type { Writable } from 'node:stream';
import { createDbClient, type Connection, type DbClient } from '@docprocessor/db';

/** What a query on a connection that died fails with, as postgres.js says it. */
const connectionClosed = () =>
  Object.assign(new Error('write CONNECTION_CLOSED (the database connection of this job was lost)'), { code: 'CONNECTION_CLOSED' });

type Query = PromiseLike<unknown> & { writable(): Promise<Writable> };

/**
 * Makes `db.sql.reserve()` (a job's own connection) safe against the connection dying under it, e.g. when
 * PostgreSQL restarts. With postgres.js 3.4.9 a query written to a reserved connection whose socket closed
 * kills the process (porsager/postgres#1208), a query pipelined when the socket fails never settles, and so
 * does a `copy ... from stdin`. So a job gets a one-connection client of its own, watched: once its
 * connection closes, every query of it still waiting (a COPY included) and every later one fails with
 * CONNECTION_CLOSED, and the attempt is retried from its checkpoint. Everything else uses the shared pool.
 */
export function withJobConnections(db: DbClient, url: string, applicationName: string): DbClient {
  const reserve = async (): Promise<Connection> => {
    const own = createDbClient(url, { max: 1, applicationName });
    let markLost = (_error: Error) => {};
    const lost = new Promise<never>((_, reject) => (markLost = reject));
    lost.catch(() => undefined);
    const copies = new Set<Writable>();
    // `options` is the live object postgres.js reads when a connection closes.
    own.sql.options.onclose = () => {
      markLost(connectionClosed());
      // postgres.js destroys a COPY stream itself on some closes; one already past its data it leaves waiting forever.
      for (const stream of copies) if (!stream.destroyed && !stream.writableFinished) stream.emit('error', connectionClosed());
      copies.clear();
    };
    const watch = <Q extends Query>(query: Q): Q => {
      // `sql(values)` and `sql(identifier)` give fragments for a query, not queries: nothing to watch.
      if (typeof query?.writable !== 'function') return query;
      const [then, writable] = [query.then.bind(query), query.writable.bind(query)];
      // Whatever postgres.js does with the query, its outcome is known once the connection is gone.
      Object.assign(query, {
        // biome-ignore lint/suspicious/noThenProperty: the query is a thenable; wrapping its `then` is the point.
        then: (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) =>
          Promise.race([new Promise((resolve, reject) => then(resolve, reject)), lost]).then(onFulfilled, onRejected),
        // Resolves (through the `then` above) with the COPY stream, which is watched until it finishes.
        writable: async () => {
          const stream = await writable();
          stream.on('error', () => undefined); // the caller's listener gets it; an error nobody awaits any more must not crash
          copies.add(stream);
          stream.once('finish', () => copies.delete(stream));
          return stream;
        },
      });
      return query;
    };
    const unsafe = (...args: Parameters<typeof own.sql.unsafe>) => watch(own.sql.unsafe(...args) as unknown as Query);
    const release = () => void own.sql.end({ timeout: 0 }).catch(() => undefined);
    return new Proxy(own.sql, {
      apply: (target, self, args) => watch(Reflect.apply(target, self, args) as Query),
      get: (target, property, receiver) =>
        property === 'unsafe' ? unsafe : property === 'release' ? release : Reflect.get(target, property, receiver),
    }) as unknown as Connection;
  };
  return {
    ...db,
    sql: new Proxy(db.sql, {
      get: (target, property, receiver) => (property === 'reserve' ? reserve : Reflect.get(target, property, receiver)),
    }),
  };
}
