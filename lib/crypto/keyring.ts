/** The process's keyring for secrets at rest: ENCRYPTION_KEYS, or a key generated into DATA_DIR (0600). */
import { getEnv, readOrCreateSecretFile } from "@/lib/env";
import { generateKeySpec, parseKeyring, type TKeyring } from "./secrets";

let cached: TKeyring | undefined;

export function getKeyring(): TKeyring {
  if (!cached) {
    const env = getEnv();
    cached = parseKeyring(env.ENCRYPTION_KEYS ?? readOrCreateSecretFile(env.dataDir, "encryption-keys", () => generateKeySpec("k1")));
  }
  return cached;
}

/** Tests and the re-encrypt script swap the keyring. */
export function setKeyring(keyring: TKeyring | undefined): void {
  cached = keyring;
}
