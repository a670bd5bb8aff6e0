/**
 * @module
 * The audit-log subscriber that feeds trail delivery: for each record, every trail of its account
 * that selects it gets the record's feed position added to its buffer for the record's region,
 * in one transaction per batch. A watermark stored in that same transaction makes a re-delivered
 * batch (the dispatcher delivers at least once) add nothing twice.
 */
import type { EventSubscriber } from '../../server/dispatcher.js';
import type { Store, StoredEvent, Tx } from '../../store/types.js';
import type { Clock } from '../../core/clock.js';
import { trailSelects, type SelectableEvent, type SelectingTrail } from './selector-matching.js';
import { accountTrails, arnOf, type TrailDocument } from './trails.js';

const SUBSCRIBER = 'cloudtrail.trail-selection';
const WATERMARK = `${SUBSCRIBER}.buffered`;

/** How far selection has buffered the audit log. */
export function selectionPosition(tx: Tx): Promise<number> {
  return tx.outbox.position(WATERMARK);
}

/** A stored record as selection sees it; the body is parsed only when a selector needs it. */
export function selectable(event: StoredEvent): SelectableEvent {
  let parsed: Record<string, unknown> | undefined;
  return {
    region: event.region,
    eventTime: event.eventTime,
    eventId: event.eventId,
    eventName: event.eventName,
    eventSource: event.eventSource,
    category: event.category,
    readOnly: event.readOnly,
    record: () => (parsed ??= JSON.parse(event.body) as Record<string, unknown>),
  };
}

/** A trail document in the shape selection reads. */
export function selectingTrail(trail: TrailDocument): SelectingTrail {
  return {
    homeRegion: trail.homeRegion,
    isMultiRegionTrail: trail.isMultiRegionTrail,
    includeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    isLogging: trail.status.isLogging,
    startLoggingTime: trail.status.startLoggingTime,
    stopLoggingTime: trail.status.stopLoggingTime,
    stopLoggingEventId: trail.status.stopLoggingEventId,
    eventSelectors: trail.eventSelectors,
    advancedEventSelectors: trail.advancedEventSelectors,
  };
}

/** The trails of an account that may take records (they have a logging window), with their selection view. */
export async function candidateTrails(tx: Tx, accountId: string): Promise<{ trail: TrailDocument; arn: string; view: SelectingTrail }[]> {
  return (await accountTrails(tx, accountId))
    .filter((trail) => trail.status.startLoggingTime !== undefined)
    .map((trail) => ({ trail, arn: arnOf(trail), view: selectingTrail(trail) }));
}

type Selected = { accountId: string; region: string; arn: string; entries: { seq: number; bytes: number }[] };

/** Which trails' buffers each record goes to, as of the trails in `tx`. */
async function select(tx: Tx, records: readonly StoredEvent[]): Promise<Selected[]> {
  const trailsByAccount = new Map<string, Awaited<ReturnType<typeof candidateTrails>>>();
  const buffers = new Map<string, Selected>();
  for (const record of records) {
    let trails = trailsByAccount.get(record.accountId);
    if (!trails) trailsByAccount.set(record.accountId, (trails = await candidateTrails(tx, record.accountId)));
    if (trails.length === 0) continue;
    const event = selectable(record);
    for (const { arn, view } of trails) {
      if (!trailSelects(view, event)) continue;
      const id = `${record.accountId}\n${record.region}\n${arn}`;
      let buffer = buffers.get(id);
      if (!buffer) buffers.set(id, (buffer = { accountId: record.accountId, region: record.region, arn, entries: [] }));
      buffer.entries.push({ seq: record.seq, bytes: record.body.length + 1 });
    }
  }
  return [...buffers.values()];
}

/**
 * The subscriber that buffers selected records for delivery. A batch no trail selects only moves
 * the watermark, without waiting for the disk: selection follows the trails' logging windows, so
 * selecting it again after a crash finds nothing again.
 */
export function trailSelectionSubscriber(store: Store, clock: Clock): EventSubscriber {
  return {
    name: SUBSCRIBER,
    feed: 'events',
    async handle(records) {
      const selected = await store.read((tx) => select(tx, records));
      await store.transaction(async (tx) => {
        const watermark = await selectionPosition(tx);
        const fresh = records.filter((r) => r.seq > watermark);
        if (fresh.length === 0) return;
        const now = clock.now();
        for (const buffer of fresh.length === records.length ? selected : await select(tx, fresh)) {
          await tx.trailBuffers.add({ accountId: buffer.accountId, region: buffer.region }, buffer.arn, buffer.entries, now);
        }
        await tx.outbox.setPosition(WATERMARK, fresh[fresh.length - 1]!.seq);
      }, { durable: selected.length > 0 });
    },
  };
}
