import fs from "node:fs";
import path from "node:path";
import type { TEnv } from "@/lib/env";
import type { TSeedResult } from "@/lib/db/seed";

/**
 * On the embedded default, generated demo credentials are also kept in
 * DATA_DIR/demo-credentials.txt (0600) so a missed console line is not a
 * locked-out demo. Only what the seed generated itself is written.
 */
export function writeDemoCredentials(env: TEnv, result: TSeedResult): void {
  if (env.DATABASE_URL) return;
  const chosen = { ADMIN: env.SEED_ADMIN_PASSWORD, AUTHOR: env.SEED_AUTHOR_PASSWORD, SUPPORT: env.SEED_SUPPORT_PASSWORD };
  const generated = result.created.filter((c) => !chosen[c.role]);
  if (!generated.length && !result.apiKey) return;
  const lines = generated.map((c) => `${c.role}\t${c.email}\t${c.password}`);
  if (result.apiKey && !env.SEED_API_KEY) lines.push(`API_KEY\t${result.apiKey}`);
  if (!lines.length) return;
  fs.mkdirSync(env.dataDir, { recursive: true });
  fs.appendFileSync(path.join(env.dataDir, "demo-credentials.txt"), lines.join("\n") + "\n", { mode: 0o600 });
}
