/**
 * @module
 * Temporary credentials: ASIA access keys with a session token and an expiry, stored like any
 * key, with the session's facts on their owner.
 */
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import { randomBytes } from 'node:crypto';
import { newIamId, newSecretAccessKey } from '../../core/ids.js';
import type { SessionFacts } from '../../auth/principal.js';
import type { KeyOwner, Tx } from '../../store/types.js';

/** Issues and stores temporary credentials for an owner; returns them as STS shows them. */
export async function issueCredentials(tx: Tx, options: {
  accountId: string;
  owner: Omit<KeyOwner, 'session'>;
  session: SessionFacts;
  now: number;
  durationSeconds: number;
}): Promise<StsCredentials> {
  const key = {
    accessKeyId: newIamId('ASIA'),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: randomBytes(120).toString('base64'),
    accountId: options.accountId,
    status: 'Active' as const,
    owner: { ...options.owner, session: { ...options.session } as Record<string, unknown> },
    createdAt: options.now,
    expiresAt: options.now + options.durationSeconds * 1000,
  };
  await tx.credentials.put(key);
  return { AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey, SessionToken: key.sessionToken, Expiration: new Date(key.expiresAt) };
}

/** Session tags from STS input, by key. */
export function sessionTags(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> | undefined {
  if (!tags?.length) return undefined;
  return Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
}
