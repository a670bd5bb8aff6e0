/**
 * @module
 * Server settings: read once from flags and the environment, then passed down explicitly.
 */
import { resolve } from 'node:path';

/** How requests are authenticated. */
export type AuthMode = 'strict' | 'open';

/** Everything a running server is configured with. */
export interface Settings {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly auth: AuthMode;
  readonly testMode: boolean;
  readonly logLevel: string;
  /** `fsync`: an answered call is on disk; `process`: it survives a killed process, not a power loss. */
  readonly durability: 'fsync' | 'process';
  /** PEM files for HTTPS; plain HTTP without them. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** The largest non-streaming request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Root credentials to create on first start instead of random ones. */
  readonly rootCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Seconds between a trail's log file deliveries (AWS: about 5 minutes). */
  readonly trailDeliveryIntervalSeconds: number;
  /** Seconds each digest file covers (AWS: one hour). */
  readonly digestIntervalSeconds: number;
  /** The base URL clients reach this server at, for links it sends out; default: where it listens. */
  readonly publicUrl?: string;
  /** Seconds between scheduled evaluations of every CloudWatch alarm (new data is evaluated at once). */
  readonly alarmEvaluationInterval: number;
}

/** Defaults: 127.0.0.1:4566, ./.custos, strict authentication. */
export const DEFAULT_SETTINGS: Settings = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: '.custos',
  auth: 'strict',
  testMode: false,
  logLevel: 'info',
  durability: 'fsync',
  maxBodyBytes: 10 * 1024 * 1024,
  trailDeliveryIntervalSeconds: 300,
  digestIntervalSeconds: 3600,
  alarmEvaluationInterval: 10,
};

/** Flag values as parsed from the command line (strings and booleans, all optional). */
export interface SettingsFlags {
  host?: string;
  port?: string;
  'data-dir'?: string;
  auth?: string;
  'test-mode'?: boolean;
  'log-level'?: string;
  durability?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'trail-delivery-interval'?: string;
  'digest-interval'?: string;
  'public-url'?: string;
  'alarm-evaluation-interval'?: string;
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new Error(`invalid --${name}: ${value} (seconds, at least 1)`);
  return n;
}

function truthy(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/**
 * Settings from flags, then `CUSTOS_*` environment variables, then defaults. Throws on a value
 * that cannot be used (so the CLI can say which).
 */
export function resolveSettings(flags: SettingsFlags, env: NodeJS.ProcessEnv): Settings {
  const port = Number(flags.port ?? env.CUSTOS_PORT ?? DEFAULT_SETTINGS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${flags.port ?? env.CUSTOS_PORT}`);
  const auth = flags.auth ?? env.CUSTOS_AUTH ?? DEFAULT_SETTINGS.auth;
  if (auth !== 'strict' && auth !== 'open') throw new Error(`invalid --auth: ${auth} (use strict or open)`);
  const durability = flags.durability ?? env.CUSTOS_DURABILITY ?? DEFAULT_SETTINGS.durability;
  if (durability !== 'fsync' && durability !== 'process') throw new Error(`invalid --durability: ${durability} (use fsync or process)`);
  const certFile = flags['tls-cert'] ?? env.CUSTOS_TLS_CERT;
  const keyFile = flags['tls-key'] ?? env.CUSTOS_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('--tls-cert and --tls-key go together');
  const alarmEvaluationInterval = Number(flags['alarm-evaluation-interval'] ?? env.CUSTOS_ALARM_EVALUATION_INTERVAL ?? DEFAULT_SETTINGS.alarmEvaluationInterval);
  if (!Number.isFinite(alarmEvaluationInterval) || alarmEvaluationInterval <= 0) {
    throw new Error(`invalid --alarm-evaluation-interval: ${flags['alarm-evaluation-interval'] ?? env.CUSTOS_ALARM_EVALUATION_INTERVAL} (seconds, above 0)`);
  }
  const rootKey = env.CUSTOS_ROOT_ACCESS_KEY_ID;
  const rootSecret = env.CUSTOS_ROOT_SECRET_ACCESS_KEY;
  if (Boolean(rootKey) !== Boolean(rootSecret)) {
    throw new Error('CUSTOS_ROOT_ACCESS_KEY_ID and CUSTOS_ROOT_SECRET_ACCESS_KEY go together');
  }
  const publicUrl = flags['public-url'] ?? env.CUSTOS_PUBLIC_URL;
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicUrl)) {
    throw new Error(`invalid --public-url: ${publicUrl} (use http://host:port or https://host)`);
  }
  return {
    host: flags.host ?? env.CUSTOS_HOST ?? DEFAULT_SETTINGS.host,
    port,
    dataDir: resolve(flags['data-dir'] ?? env.CUSTOS_DATA_DIR ?? DEFAULT_SETTINGS.dataDir),
    auth,
    testMode: flags['test-mode'] ?? truthy(env.CUSTOS_TEST_MODE) ?? false,
    logLevel: flags['log-level'] ?? env.CUSTOS_LOG_LEVEL ?? DEFAULT_SETTINGS.logLevel,
    durability,
    tls: certFile && keyFile ? { certFile, keyFile } : undefined,
    maxBodyBytes: Number(env.CUSTOS_MAX_BODY_BYTES ?? DEFAULT_SETTINGS.maxBodyBytes),
    rootCredentials: rootKey && rootSecret ? { accessKeyId: rootKey, secretAccessKey: rootSecret } : undefined,
    trailDeliveryIntervalSeconds: seconds('trail-delivery-interval', flags['trail-delivery-interval'] ?? env.CUSTOS_TRAIL_DELIVERY_INTERVAL,
      DEFAULT_SETTINGS.trailDeliveryIntervalSeconds),
    digestIntervalSeconds: seconds('digest-interval', flags['digest-interval'] ?? env.CUSTOS_DIGEST_INTERVAL, DEFAULT_SETTINGS.digestIntervalSeconds),
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    alarmEvaluationInterval,
  };
}
