/**
 * `npm run secrets:reencrypt`: after putting a new key FIRST in
 * ENCRYPTION_KEYS (keeping the old ones after it), re-seal every stored
 * secret under the new key. Then the old keys can be removed.
 */
import { closeDb } from "@/lib/db/client";
import { reencryptWebhookSecrets } from "@/lib/domain/webhook-secrets";
import { getKeyring } from "@/lib/crypto/keyring";

async function main(): Promise<void> {
  const active = getKeyring().active;
  const result = await reencryptWebhookSecrets();
  console.log(`Re-encrypted ${result.reencrypted} secret(s) under key "${active}"; ${result.remainingUnderOldKeys} remain under other keys.`);
  if (result.undecryptable.length) {
    console.error(`${result.undecryptable.length} secret(s) open with no key of ENCRYPTION_KEYS (ids: ${result.undecryptable.join(", ")}): set them again on their webhooks.`);
    process.exitCode = 2;
  }
  await closeDb();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDb().catch(() => {});
  process.exit(1);
});
