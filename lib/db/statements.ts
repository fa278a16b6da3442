/**
 * Named (server-side prepared) statements for the hot raw queries on
 * PostgreSQL. A statement written with `preparedSql("name", sql)` is parsed
 * and planned once per connection and then only bound and executed: for the
 * ingest statements that halves PostgreSQL's CPU per event
 * (docs/performance.md). Only marked statements are named, so the set stays
 * small and fixed; everything Prisma generates stays unnamed.
 *
 * Turned off with DATABASE_PREPARED_STATEMENTS=0 (a pooler in transaction
 * mode without prepared-statement support, e.g. PgBouncer before 1.21).
 */
import crypto from "node:crypto";

const MARK = /^\/\* prepare:([a-z][a-z0-9_]{0,30}) \*\//;

/** Marks `sql` to run as a named statement; `name` says what it is (lowercase, digits, underscores). */
export function preparedSql(name: string, sql: string): string {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(name)) throw new Error(`Invalid prepared statement name: ${name}`);
  return `/* prepare:${name} */ ${sql}`;
}

const names = new Map<string, string>();

/**
 * The statement name of a marked SQL text, undefined for any other. The name
 * carries a hash of the text: two variants of one statement (or a changed
 * text after a deploy) never share a name on a connection.
 */
export function statementNameOf(sql: string): string | undefined {
  const known = names.get(sql);
  if (known) return known;
  const match = MARK.exec(sql);
  if (!match) return undefined;
  const name = `hy_${match[1]}_${crypto.createHash("sha256").update(sql).digest("hex").slice(0, 16)}`;
  names.set(sql, name);
  return name;
}
