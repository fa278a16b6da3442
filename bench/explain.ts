/**
 * `npm run bench -- --explain`: the real plans of the console queries as
 * Prisma sends them, through auto_explain (ANALYZE, BUFFERS) into the bench
 * server's log, copied to tmp/bench-explain.txt.
 */
import fs from "node:fs";
import path from "node:path";
import { openDb, sqlClient } from "./db";
import { runConsoleQueries, type TConsoleSeed } from "./scenarios";
import { ROOT } from "./lib";

export async function explainConsole(o: { url: string; pgDir: string; seed: TConsoleSeed }): Promise<string> {
  const dbName = new URL(o.url).pathname.slice(1);
  const sql = await sqlClient(o.url);
  await sql.query(`ALTER DATABASE ${dbName} SET session_preload_libraries = 'auto_explain'`);
  await sql.query(`ALTER DATABASE ${dbName} SET auto_explain.log_min_duration = 0`);
  await sql.query(`ALTER DATABASE ${dbName} SET auto_explain.log_analyze = on`);
  await sql.query(`ALTER DATABASE ${dbName} SET auto_explain.log_buffers = on`);
  const log = path.join(o.pgDir, "server.log");
  const from = fs.statSync(log).size;
  await openDb({ kind: "postgres", url: o.url, poolSize: 4 }); // new sessions pick the settings up
  await runConsoleQueries(o.seed, 1);
  await new Promise((r) => setTimeout(r, 500));
  await sql.query(`ALTER DATABASE ${dbName} RESET ALL`);
  await sql.end();
  await openDb({ kind: "postgres", url: o.url, poolSize: 4 });
  const fd = fs.openSync(log, "r");
  const size = fs.statSync(log).size;
  const buf = Buffer.alloc(size - from);
  fs.readSync(fd, buf, 0, buf.length, from);
  fs.closeSync(fd);
  // Every statement of the console reads, with its plan and timing.
  const text = buf.toString("utf8");
  const out = path.join(ROOT, "tmp", "bench-explain.txt");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  return out;
}
