/**
 * @module
 * Assertions shared by the end-to-end tests.
 */
import { expect } from 'vitest';
import type { TestServer } from './server.js';

/** Expects a client call to fail with an AWS error of this name (and message, when given). */
export async function expectError(call: Promise<unknown>, name: string, message?: string | RegExp): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  expect(error, `expected ${name}`).toBeDefined();
  expect(error!.name).toBe(name);
  if (typeof message === 'string') expect(error!.message).toContain(message);
  else if (message) expect(error!.message).toMatch(message);
  return error!;
}

/** Wipes the server's state (test mode). */
export async function resetServer(server: TestServer): Promise<void> {
  const response = await fetch(`${server.url}/_custos/reset`, { method: 'POST' });
  expect(response.status).toBe(200);
}
