/**
 * @module
 * Assembles a Custos server from its settings: the store, the services, the pipeline, the
 * dispatcher and the root credentials. Nothing here is global; two apps can run side by side.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import type { Settings } from '../core/settings.js';
import { Authenticator } from '../auth/authenticate.js';
import { AuthorizationCache } from '../auth/authorization-cache.js';
import type { Authorizer } from '../auth/authorize.js';
import { PolicyAuthorizer } from '../auth/policy-authorizer.js';
import { FsBlobStore } from '../blob/fs-blob-store.js';
import { ensureRootCredentials, type RootCredentials } from '../auth/root-credentials.js';
import { codecFor } from '../protocol/codecs.js';
import { principalPolicySource } from '../services/iam/principal-policies.js';
import { allServices } from '../services/registry.js';
import type { ServiceDefinition, ServiceEnvironment } from '../services/service.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { Dispatcher, type Subscriber } from './dispatcher.js';
import { Pipeline } from './pipeline.js';
import { ServiceRouter } from './router.js';

/** What an app is made from; everything but the settings has a default. */
export interface AppOptions {
  readonly settings: Settings;
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly store?: Store;
  readonly services?: readonly ServiceDefinition[];
  readonly authorizer?: Authorizer;
  /** Extra outbox or audit-log subscribers (tests register their own). */
  readonly subscribers?: readonly Subscriber[];
}

/** A running Custos, minus the listening socket. */
export interface App {
  readonly settings: Settings;
  readonly store: Store;
  readonly dispatcher: Dispatcher;
  readonly logger: Logger;
  readonly rootCredentials: RootCredentials;
  /** What services and background work are given (tests use `invoke` and `store`). */
  readonly env: ServiceEnvironment;
  /** Handles one HTTP request. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Tells the app it listens, and at which URL (the public URL unless `--public-url` is set); starts background work. */
  listening(url: string): void;
  /** Stops the dispatcher and closes the store (after the socket has stopped taking calls). */
  close(): Promise<void>;
}

/** The package version, for health answers. */
function version(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** Builds an app. */
export async function createApp(options: AppOptions): Promise<App> {
  const { settings } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(settings.logLevel);
  const store = options.store ?? new SqliteStore({ file: join(settings.dataDir, 'custos.db'), clock, durability: settings.durability });
  const seedRoot = () => ensureRootCredentials({ store, dataDir: settings.dataDir, clock, preset: settings.rootCredentials });
  const rootCredentials = await seedRoot();
  const dispatcher = new Dispatcher(store, logger);
  store.onCommit(() => dispatcher.notify());
  const services = options.services ?? allServices();
  let pipeline: Pipeline | undefined;
  let listenUrl = '';
  const env: ServiceEnvironment = {
    settings,
    clock,
    logger,
    store,
    blobs: new FsBlobStore({ dir: join(settings.dataDir, 'blobs'), sync: settings.durability === 'fsync' }),
    invoke: (call) => pipeline!.invoke(call),
    publicUrl: () => settings.publicUrl ?? listenUrl,
  };
  const background = services.flatMap((service) => (service.background ? [service.background(env)] : []));
  for (const subscriber of [...background.flatMap((work) => work.subscribers ?? []), ...(options.subscribers ?? [])]) {
    dispatcher.register(subscriber);
  }
  pipeline = new Pipeline({
    settings,
    clock,
    logger,
    store,
    services,
    router: new ServiceRouter(services, codecFor),
    authenticator: new Authenticator({ store, mode: settings.auth, clock }),
    authorizer: options.authorizer ?? new PolicyAuthorizer({ services, policies: principalPolicySource, cache: new AuthorizationCache() }),
    env,
  });
  const admin = {
    testMode: settings.testMode,
    version: version(),
    startedAt: clock.now(),
    reset: async () => {
      await store.reset();
      dispatcher.rewind();
      await seedRoot();
    },
    file: async (path: string) => {
      for (const work of background) {
        const file = await work.file?.(path);
        if (file) return file;
      }
      return undefined;
    },
  };
  const calls = pipeline;
  return {
    settings,
    store,
    dispatcher,
    logger,
    rootCredentials,
    env,
    handle: (request, response) =>
      (request.url ?? '').startsWith(ADMIN_PREFIX) ? handleAdmin(request, response, admin) : calls.handle(request, response),
    listening(url) {
      listenUrl = url;
      for (const work of background) work.start?.();
    },
    async close() {
      for (const work of background) await work.stop?.();
      await dispatcher.stop();
      await store.close();
    },
  };
}
