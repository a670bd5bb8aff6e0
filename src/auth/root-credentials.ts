/**
 * @module
 * The default account and its root credentials. On first start Custos creates them (from
 * CUSTOS_ROOT_ACCESS_KEY_ID / CUSTOS_ROOT_SECRET_ACCESS_KEY when set, else at random) and writes
 * them, mode 0600, to `<data dir>/credentials` in the AWS shared-credentials format, so that
 * `AWS_SHARED_CREDENTIALS_FILE=<data dir>/credentials aws ...` just works.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { newIamId, newSecretAccessKey } from '../core/ids.js';
import { DEFAULT_ACCOUNT_ID } from '../core/scope.js';
import type { Store } from '../store/types.js';

/** Root credentials and where they are written. */
export interface RootCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly file: string;
  /** Whether this start created them. */
  readonly created: boolean;
}

/** The path of the credentials file in a data directory. */
export function credentialsFile(dataDir: string): string {
  return join(dataDir, 'credentials');
}

/** Reads the `[default]` profile of a shared-credentials file. */
export function readCredentialsFile(file: string): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const id = /^aws_access_key_id\s*=\s*(\S+)/m.exec(text)?.[1];
  const secret = /^aws_secret_access_key\s*=\s*(\S+)/m.exec(text)?.[1];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}

/** Makes sure the default account and its root key exist, and that the credentials file holds them. */
export async function ensureRootCredentials(options: {
  store: Store;
  dataDir: string;
  clock: Clock;
  preset?: { accessKeyId: string; secretAccessKey: string };
}): Promise<RootCredentials> {
  const { store, dataDir, clock } = options;
  const accountId = DEFAULT_ACCOUNT_ID;
  const rootArn = `arn:aws:iam::${accountId}:root`;
  const file = credentialsFile(dataDir);
  return store.transaction(async (tx) => {
    if (!(await tx.accounts.get(accountId))) await tx.accounts.put({ accountId, createdAt: clock.now() });
    const existing = (await tx.credentials.listForOwner(accountId, rootArn)).find((k) => k.sessionToken === undefined);
    let created = false;
    let key = existing ? { accessKeyId: existing.accessKeyId, secretAccessKey: existing.secretAccessKey } : undefined;
    if (!key) {
      key = options.preset ?? readCredentialsFile(file) ?? { accessKeyId: newIamId('AKIA'), secretAccessKey: newSecretAccessKey() };
      created = true;
      await tx.credentials.put({
        ...key,
        accountId,
        status: 'Active',
        owner: { type: 'Root', id: accountId, arn: rootArn },
        createdAt: clock.now(),
      });
    }
    const current = readCredentialsFile(file);
    if (current?.accessKeyId !== key.accessKeyId || current.secretAccessKey !== key.secretAccessKey) {
      writeFileSync(
        file,
        `# Root credentials of account ${accountId}, created by Custos.\n[default]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
        { mode: 0o600 },
      );
      chmodSync(file, 0o600);
    }
    return { accountId, ...key, file, created };
  });
}
