/**
 * PGlite with named prepared statements for the statements marked with
 * preparedSql() — what `@prisma/adapter-pg` does on PostgreSQL
 * (lib/db/statements.ts). PGlite's own `query()` parses and plans every
 * statement again (an unnamed statement): for the delivery claim that is
 * about 40 % of its time in WASM, and the embedded database spends that on
 * the one thread that runs all its queries (docs/performance.md section 18).
 *
 * A marked statement is parsed once per instance (its parameter types kept),
 * then each run binds, describes and executes it by name in one exchange,
 * under the same locks as `query()`: outside a transaction it waits for any
 * open transaction, inside one it runs in it. Results are parsed by PGlite's
 * own parser with the caller's options (Prisma's adapter asks for arrays
 * with its parsers). Everything else goes through PGlite unchanged.
 * Pinned with @electric-sql/pglite 0.5.x: this uses its public protocol
 * helpers (serialize, parseResults, execProtocolStream) and its exclusive
 * locks (`_runExclusiveQuery`, `_runExclusiveTransaction`).
 */
import { PGlite, parse, protocol, type Results, type Transaction } from "@electric-sql/pglite";
import { statementNameOf } from "./statements";

type TQueryOptions = Parameters<PGlite["query"]>[2];

const { serialize } = protocol;

export class PGliteWithPreparedStatements extends PGlite {
  /** Statement name → its parameter type OIDs, for the statements this session has prepared. */
  readonly #prepared = new Map<string, number[]>();

  override async query<T>(query: string, params?: unknown[], options?: TQueryOptions): Promise<Results<T>> {
    const name = statementNameOf(query);
    if (!name) return super.query<T>(query, params, options);
    await this._checkReady();
    return this._runExclusiveTransaction(() => this.#runPrepared<T>(name, query, params ?? [], options, { inTransaction: false }));
  }

  override transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return super.transaction((tx) => {
      const run = <R>(query: string, params?: unknown[], options?: TQueryOptions): Promise<Results<R>> => {
        const name = statementNameOf(query);
        if (!name) return tx.query<R>(query, params, options);
        if (tx.closed) return Promise.reject(new Error("Transaction is closed"));
        return this.#runPrepared<R>(name, query, params ?? [], options, { inTransaction: true });
      };
      // The transaction as PGlite made it (its rollback, exec, closed…), with marked queries prepared.
      return callback(Object.create(tx, { query: { value: run } }) as Transaction);
    });
  }

  async #runPrepared<T>(name: string, text: string, params: unknown[], options: TQueryOptions, at: { inTransaction: boolean }): Promise<Results<T>> {
    return this._runExclusiveQuery(async () => {
      let types = this.#prepared.get(name);
      if (!types) {
        // Parse and describe in one exchange; Sync ends it whether or not it failed (nothing is kept then).
        const described = await this.execProtocolStream(Buffer.concat([serialize.parse({ name, text }), serialize.describe({ type: "S", name }), serialize.sync()]), { syncToFs: false });
        types = parse.parseDescribeStatementResults(described);
        this.#prepared.set(name, types);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = options?.serializers?.[types[i]!] ?? this.serializers[types[i]!];
        return serializer ? serializer(value) : String(value);
      });
      const messages = await this.execProtocolStream(
        Buffer.concat([serialize.bind({ statement: name, values }), serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]),
        { syncToFs: false },
      );
      if (!at.inTransaction) await this.syncToFs();
      return parse.parseResults(messages, this.parsers, options)[0] as Results<T>;
    });
  }
}
