/**
 * One value per Node.js process. Next.js loads a module once per bundle (each
 * route group, server actions, instrumentation.ts), so module-level state is
 * not shared between them: a key revoked by a server action would stay in the
 * cache the API routes read. State that must be one per process lives on
 * globalThis under a name, created on first use.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const slots = globalThis as unknown as Record<`__hookyard_${string}`, T | undefined>;
  return (slots[`__hookyard_${name}`] ??= create());
}
