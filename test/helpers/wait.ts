/**
 * @module
 * Waiting for background work (deliveries, streams) to show its effect, without timing assertions:
 * poll until a condition holds, with a generous deadline that only guards against hanging.
 */

/** Polls `probe` until it returns a value other than undefined; rejects after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
