/**
 * @module
 * The listening socket: HTTP, or HTTPS when a certificate is configured. Shutdown stops
 * accepting, lets in-flight calls finish, then closes the app (dispatcher, store).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppOptions } from './app.js';

/** A server that is listening. */
export interface RunningServer {
  readonly app: App;
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown; resolves when the store is closed. */
  close(): Promise<void>;
}

/** Builds an app and listens on the configured host and port (0 picks a free port). */
export async function startServer(options: AppOptions): Promise<RunningServer> {
  const app = await createApp(options);
  const { settings } = app;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const onRequest: Parameters<typeof createHttpServer>[1] = (request, response) => {
    inFlight++;
    response.on('close', () => {
      if (--inFlight === 0) drained?.();
    });
    app.handle(request, response).catch((error: unknown) => {
      app.logger.error({ err: error }, 'unhandled request failure');
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const server: Server = settings.tls
    ? createHttpsServer({ cert: readFileSync(settings.tls.certFile), key: readFileSync(settings.tls.keyFile) }, onRequest)
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `${settings.tls ? 'https' : 'http'}://${host}:${port}`;
  app.listening(url);
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        server.closeAllConnections();
        await stopped;
        await app.close();
      })();
      return closing;
    },
  };
}
