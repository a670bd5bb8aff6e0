/**
 * @module
 * Waiting for work that happens after a call returns (background evaluation, delivery): polls a
 * condition until it holds. The limit only bounds a failing test; nothing asserts on time.
 */

/** Polls `probe` until it returns a value that is not undefined; fails after `limitMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
