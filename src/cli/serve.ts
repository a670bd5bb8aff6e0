/**
 * @module
 * `custos serve`: runs the server until SIGINT or SIGTERM, then shuts down gracefully.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../core/logger.js';
import { resolveSettings } from '../core/settings.js';
import { startServer } from '../server/http-server.js';

const HELP = `Usage: custos serve [options]

Options (each also read from the environment variable shown):
  --host HOST          address to listen on            CUSTOS_HOST      (127.0.0.1)
  --port PORT          port to listen on (0: any free) CUSTOS_PORT      (4566)
  --data-dir DIR       where state is kept             CUSTOS_DATA_DIR  (./.custos)
  --auth strict|open   verify signatures, or accept any credentials
                                                       CUSTOS_AUTH      (strict)
  --test-mode          allow POST /_custos/reset       CUSTOS_TEST_MODE (off)
  --log-level LEVEL    trace|debug|info|warn|error     CUSTOS_LOG_LEVEL (info)
  --durability MODE    fsync: an answered call is on disk (default);
                       process: it survives a killed process only
                                                       CUSTOS_DURABILITY (fsync)
  --tls-cert FILE      serve HTTPS with this PEM certificate   CUSTOS_TLS_CERT
  --tls-key FILE       ... and this PEM private key            CUSTOS_TLS_KEY
  --trail-delivery-interval SECONDS
                       how often trails deliver log files (at least 1)
                                                       CUSTOS_TRAIL_DELIVERY_INTERVAL (300)
  --digest-interval SECONDS
                       how long each digest file covers (at least 1)
                                                       CUSTOS_DIGEST_INTERVAL (3600)
  --public-url URL     the base URL clients reach this server at, for links in SNS
                       messages (default: the address it listens on) CUSTOS_PUBLIC_URL
  --alarm-evaluation-interval SECONDS
                       how often every CloudWatch alarm is evaluated (new data
                       is evaluated at once)      CUSTOS_ALARM_EVALUATION_INTERVAL (10)

On first start the root credentials of account 123456789012 are created (or taken from
CUSTOS_ROOT_ACCESS_KEY_ID and CUSTOS_ROOT_SECRET_ACCESS_KEY) and written to <data dir>/credentials.`;

/** Runs the server; resolves with the exit code once it has shut down. */
export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      auth: { type: 'string' },
      'test-mode': { type: 'boolean' },
      'log-level': { type: 'string' },
      durability: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trail-delivery-interval': { type: 'string' },
      'digest-interval': { type: 'string' },
      'public-url': { type: 'string' },
      'alarm-evaluation-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const settings = resolveSettings(values, process.env);
  const logger = createLogger(settings.logLevel);
  const server = await startServer({ settings, logger });
  const { rootCredentials } = server.app;
  logger.info(
    { accountId: rootCredentials.accountId, accessKeyId: rootCredentials.accessKeyId, credentialsFile: rootCredentials.file, created: rootCredentials.created },
    `root credentials are in ${rootCredentials.file} (use AWS_SHARED_CREDENTIALS_FILE=${rootCredentials.file})`,
  );
  logger.info({ url: server.url, dataDir: settings.dataDir, auth: settings.auth, testMode: settings.testMode }, 'custos is listening');
  if (settings.auth === 'open') {
    logger.warn('open mode: any credentials are accepted and no call is authorised; for local testing only');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  logger.info('stopped');
  return 0;
}
