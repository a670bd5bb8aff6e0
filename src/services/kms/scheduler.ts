/**
 * @module
 * KMS's own work over time: deleting keys at the end of their deletion window and rotating key
 * material when automatic rotation is due. Each is one transaction that changes the key, writes
 * the CloudTrail record AWS writes for it (a `DeleteKey` or `RotateKey` service event by
 * kms.amazonaws.com) and the resource change for Config with that record's eventID.
 *
 * The loop sleeps until the earliest entry is due (an hour at most) and is also woken by every
 * change to a key (an outbox subscriber), so a new schedule is seen at once.
 */
import { newEventId, newRequestId } from '../../core/ids.js';
import type { Scope } from '../../core/scope.js';
import { buildRecord } from '../../audit/record.js';
import { servicePrincipal } from '../../auth/principal.js';
import type { OutboxSubscriber } from '../../server/dispatcher.js';
import type { Tx } from '../../store/types.js';
import { RESOURCE_CHANGED, type ResourceChange, type ResourceChangedEntry } from '../resource-changes.js';
import type { BackgroundWork, ServiceEnvironment } from '../service.js';
import type { KeyVault } from './key-vault.js';
import {
  ALIAS_KIND, aliasArn, arnOf, DUE_KIND, dueId, isGone, KEY_KIND, SCHEDULE_SCOPE, storeKey, type AliasDocument, type DueEntry,
  type KeyDocument,
} from './keys.js';
import { rotated } from './rotation.js';

const MAX_SLEEP_MS = 3_600_000;
const RETRY_MS = 60_000;

async function serviceEvent(tx: Tx, scope: Scope, now: number, eventName: string, key: KeyDocument, changes: ResourceChange[]): Promise<void> {
  const eventId = newEventId(now);
  await tx.events.append(scope, buildRecord({
    eventId,
    requestId: newRequestId(),
    eventTime: now,
    eventSource: 'kms.amazonaws.com',
    eventName,
    region: scope.region,
    sourceIp: '',
    principal: servicePrincipal(scope.accountId, 'kms.amazonaws.com'),
    readOnly: false,
    category: 'Management',
    eventType: 'AwsServiceEvent',
    requestParameters: null,
    responseElements: null,
    resources: [{ type: 'AWS::KMS::Key', arn: arnOf(key) }],
    recipientAccountId: scope.accountId,
  }));
  for (const change of changes) {
    const entry: ResourceChangedEntry = { ...change, eventId, eventTime: now };
    await tx.outbox.append(scope, RESOURCE_CHANGED, entry);
  }
}

/** Deletes a key whose window has ended, with its aliases. */
async function deleteKey(tx: Tx, scope: Scope, key: KeyDocument, now: number): Promise<void> {
  const aliases = (await tx.documents.list<AliasDocument>(scope, ALIAS_KIND)).filter((a) => a.doc.targetKeyId === key.keyId);
  await tx.documents.delete(scope, KEY_KIND, key.keyId);
  for (const alias of aliases) await tx.documents.delete(scope, ALIAS_KIND, alias.id);
  await serviceEvent(tx, scope, now, 'DeleteKey', key, [
    { resourceType: 'AWS::KMS::Key', resourceId: key.keyId, arn: arnOf(key), deleted: true },
    ...aliases.map((a) => ({ resourceType: 'AWS::KMS::Alias', resourceId: a.id, resourceName: a.id, arn: aliasArn(scope, a.id), deleted: true })),
  ]);
}

/** Does what is due for one scheduler entry. */
async function runEntry(tx: Tx, vault: KeyVault, entry: DueEntry, now: number): Promise<void> {
  const scope = { accountId: entry.accountId, region: entry.region };
  const key = await tx.documents.get<KeyDocument>(scope, KEY_KIND, entry.keyId);
  if (!key) {
    await tx.documents.delete(SCHEDULE_SCOPE, DUE_KIND, dueId(entry));
  } else if (isGone(key, now)) {
    await tx.documents.delete(SCHEDULE_SCOPE, DUE_KIND, dueId(entry));
    await deleteKey(tx, scope, key, now);
  } else if (key.keyState === 'Enabled' && key.rotation.enabled && (key.rotation.nextRotationDate ?? Infinity) <= now) {
    const next = rotated(vault, key, now, 'AUTOMATIC');
    await storeKey(tx, next);
    await serviceEvent(tx, scope, now, 'RotateKey', next, [{ resourceType: 'AWS::KMS::Key', resourceId: key.keyId, arn: arnOf(key) }]);
  }
}

/** The scheduler as background work of the KMS service. */
export function kmsScheduler(env: ServiceEnvironment, vault: () => KeyVault): BackgroundWork {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const arm = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(wake, Math.max(0, Math.min(ms, MAX_SLEEP_MS)));
  };

  async function sweep(): Promise<void> {
    const now = env.clock.now();
    const entries = (await env.store.read((tx) => tx.documents.list<DueEntry>(SCHEDULE_SCOPE, DUE_KIND))).map((e) => e.doc);
    for (const entry of entries.filter((e) => e.dueAt <= now)) {
      if (stopped) return;
      await env.store.transaction((tx) => runEntry(tx, vault(), entry, now));
    }
    const later = entries.filter((e) => e.dueAt > now).map((e) => e.dueAt);
    arm(later.length ? Math.min(...later) - now : MAX_SLEEP_MS);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = sweep()
      .catch((error: unknown) => {
        env.logger.warn({ err: error }, 'kms scheduler failed; will retry');
        arm(RETRY_MS);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const subscriber: OutboxSubscriber = {
    name: 'kms-scheduler',
    feed: 'outbox',
    async handle(entries) {
      if (entries.some((e) => e.kind === RESOURCE_CHANGED && (e.payload as ResourceChange).resourceType === 'AWS::KMS::Key')) wake();
    },
  };

  return {
    subscribers: [subscriber],
    start: wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
