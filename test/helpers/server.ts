/**
 * @module
 * Starting a real Custos server for a test: a fresh data directory, a free port, silent logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings.js';
import { startServer, type RunningServer } from '../../src/server/http-server.js';
import type { AppOptions } from '../../src/server/app.js';

/** A running test server and the root credentials of its default account. */
export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Client options for `@aws-sdk/client-*` constructors. */
  clientConfig(region?: string): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Shuts down and removes the data directory. */
  stop(): Promise<void>;
}

/** Starts a server on a free port with its own data directory. */
export async function startTestServer(
  overrides: Partial<Settings> = {},
  options: Omit<AppOptions, 'settings'> = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'custos-test-'));
  const settings: Settings = { ...DEFAULT_SETTINGS, port: 0, testMode: true, logLevel: 'silent', ...overrides, dataDir };
  const server = await startServer({ logger: createLogger(settings.logLevel), ...options, settings });
  const credentials = {
    accessKeyId: server.app.rootCredentials.accessKeyId,
    secretAccessKey: server.app.rootCredentials.secretAccessKey,
  };
  return {
    ...server,
    dataDir,
    credentials,
    clientConfig: (region = 'us-east-1') => ({ endpoint: server.url, region, credentials }),
    async stop() {
      await server.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
