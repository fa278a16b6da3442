/**
 * A Prisma driver adapter whose database lives in another thread. The
 * embedded database (PGlite) runs its queries as WASM on the thread that
 * opened it: in the server that was the thread answering HTTP requests, so
 * every query of ingestion and delivery queued behind request handling and
 * the other way round (docs/performance.md section 18). The server now opens
 * PGlite in a database thread and reaches it through this adapter: each call
 * of Prisma's adapter interface (query, execute, transaction, script) is one
 * message to the thread and one answer back.
 *
 * `serveThreadAdapter` is the thread's side: it runs each call on the real
 * adapter. `createThreadAdapterFactory` is the caller's side. Errors keep
 * their meaning: a DriverAdapterError (unique violation, …) is rebuilt from
 * its payload, so Prisma reports it as it would in process.
 */
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import type { IsolationLevel, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

/** What carries the messages: a worker's port, or the worker seen from its parent. */
export type TMessageChannel = {
  post: (message: unknown) => void;
  onMessage: (listener: (message: unknown) => void) => void;
};

/** Plain SQL straight to the embedded database, outside Prisma (VACUUM cannot run in a transaction). */
export type TEmbeddedSql = {
  query: <T>(sql: string) => Promise<{ rows: T[] }>;
  exec: (sql: string) => Promise<unknown>;
};

type TOp =
  | { op: "connect" }
  | { op: "queryRaw" | "executeRaw"; query: SqlQuery; txId?: number }
  | { op: "executeScript"; script: string }
  | { op: "startTransaction"; isolationLevel?: IsolationLevel }
  | { op: "commit" | "rollback"; txId: number }
  | { op: "sqlQuery" | "sqlExec"; sql: string };

type TRequest = { hookyardDb: "request"; id: number } & TOp;
type TError = { message: string; name: string; adapterError?: DriverAdapterError["cause"] };
type TResponse = { hookyardDb: "response"; id: number } & ({ ok: true; value: unknown } | { ok: false; error: TError });

type TInfo = { provider: SqlDriverAdapter["provider"]; adapterName: string; connectionInfo?: ReturnType<NonNullable<SqlDriverAdapter["getConnectionInfo"]>> };

/** A message of this protocol with the given tag (the channel may carry others: "stop", "wake"). */
function isTagged<T extends TRequest | TResponse>(message: unknown, tag: T["hookyardDb"]): message is T {
  return typeof message === "object" && message !== null && (message as { hookyardDb?: unknown }).hookyardDb === tag;
}

/** As Prisma tells one (by name: each adapter package may carry its own copy of the class). */
function isDriverAdapterError(error: unknown): error is DriverAdapterError {
  return error instanceof Error && error.name === "DriverAdapterError" && typeof (error as { cause?: unknown }).cause === "object";
}

function errorOf(error: unknown): TError {
  if (isDriverAdapterError(error)) return { message: error.message, name: error.name, adapterError: error.cause };
  if (error instanceof Error) return { message: error.message, name: error.name };
  return { message: String(error), name: "Error" };
}

function rebuild(error: TError): Error {
  if (error.adapterError) return new DriverAdapterError(error.adapterError);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * The database thread's side: answers the requests arriving on `channel`
 * with `adapter` (transactions by id) and, for plain SQL, `sql`.
 */
export function serveThreadAdapter(opts: { channel: TMessageChannel; adapter: SqlDriverAdapter; sql: TEmbeddedSql }): void {
  const { channel, adapter, sql } = opts;
  const transactions = new Map<number, Transaction>();
  let nextTxId = 1;

  const run = async (request: TRequest): Promise<unknown> => {
    switch (request.op) {
      case "connect":
        return { provider: adapter.provider, adapterName: adapter.adapterName, connectionInfo: adapter.getConnectionInfo?.() } satisfies TInfo;
      case "queryRaw":
      case "executeRaw": {
        const target = request.txId === undefined ? adapter : transactions.get(request.txId);
        if (!target) throw new Error("The transaction is no longer open.");
        return request.op === "queryRaw" ? target.queryRaw(request.query) : target.executeRaw(request.query);
      }
      case "executeScript":
        return adapter.executeScript(request.script);
      case "startTransaction": {
        const tx = await adapter.startTransaction(request.isolationLevel);
        const txId = nextTxId++;
        transactions.set(txId, tx);
        return { txId, options: tx.options };
      }
      case "commit":
      case "rollback": {
        const tx = transactions.get(request.txId);
        if (!tx) throw new Error("The transaction is no longer open.");
        transactions.delete(request.txId);
        return request.op === "commit" ? tx.commit() : tx.rollback();
      }
      case "sqlQuery":
        return sql.query(request.sql);
      case "sqlExec":
        await sql.exec(request.sql);
        return null;
    }
  };

  channel.onMessage((message) => {
    if (!isTagged<TRequest>(message, "request")) return;
    run(message).then(
      (value) => channel.post({ hookyardDb: "response", id: message.id, ok: true, value: value ?? null } satisfies TResponse),
      (error: unknown) => channel.post({ hookyardDb: "response", id: message.id, ok: false, error: errorOf(error) } satisfies TResponse),
    );
  });
}

export type TThreadAdapter = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  sql: TEmbeddedSql;
  /** Fails every call still waiting for an answer (the thread exited): `reason` says why. */
  failPending: (reason: string) => void;
};

/**
 * The caller's side: a driver adapter factory whose calls run in the thread
 * at the other end of `channel` (which must serve them with
 * serveThreadAdapter). Calls made while the thread is not running fail with
 * the reason given to failPending, or wait for it when the channel queues.
 */
export function createThreadAdapter(channel: TMessageChannel): TThreadAdapter {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;

  channel.onMessage((message) => {
    if (!isTagged<TResponse>(message, "response")) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(rebuild(message.error));
  });

  const call = <T>(op: TOp): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        channel.post({ hookyardDb: "request", id, ...op } satisfies TRequest);
      } catch (error) {
        pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });

  const queryable = (info: TInfo, txId?: number) => ({
    provider: info.provider,
    adapterName: info.adapterName,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: "queryRaw", query, txId }),
    executeRaw: (query: SqlQuery) => call<number>({ op: "executeRaw", query, txId }),
  });

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "hookyard-thread",
    async connect(): Promise<SqlDriverAdapter> {
      const info = await call<TInfo>({ op: "connect" });
      return {
        ...queryable(info),
        executeScript: (script: string) => call<void>({ op: "executeScript", script }),
        async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
          const { txId, options } = await call<{ txId: number; options: Transaction["options"] }>({ op: "startTransaction", isolationLevel });
          return {
            ...queryable(info, txId),
            options,
            commit: () => call<void>({ op: "commit", txId }),
            rollback: () => call<void>({ op: "rollback", txId }),
          };
        },
        getConnectionInfo: info.connectionInfo ? () => info.connectionInfo! : undefined,
        dispose: async () => {},
      };
    },
    connectToShadowDb: () => Promise.reject(new Error("Migrations run in the database thread, not through it.")),
  };

  return {
    factory,
    sql: {
      query: <T>(sql: string) => call<{ rows: T[] }>({ op: "sqlQuery", sql }),
      exec: (sql: string) => call<unknown>({ op: "sqlExec", sql }),
    },
    failPending(reason) {
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new Error(reason));
      }
    },
  };
}
