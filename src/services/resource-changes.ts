/**
 * @module
 * The seam between services and Config: a service that changes a resource writes a
 * ResourceChanged entry to the outbox in the call's transaction. It knows nothing of Config.
 */
import type { CallContext } from './service.js';

/** The outbox kind of resource changes. */
export const RESOURCE_CHANGED = 'ResourceChanged';

/** A resource that a call created, changed or deleted. */
export interface ResourceChange {
  /** The Config resource type, e.g. `AWS::CloudTrail::Trail`. */
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly arn?: string;
  readonly deleted?: boolean;
}

/** The outbox payload of a resource change: the change and the call that caused it. */
export interface ResourceChangedEntry extends ResourceChange {
  readonly eventId: string;
  readonly eventTime: number;
}

/** Writes a ResourceChanged entry for the current call. */
export async function recordResourceChange(ctx: CallContext, change: ResourceChange): Promise<void> {
  const entry: ResourceChangedEntry = { ...change, eventId: ctx.eventId, eventTime: ctx.now };
  await ctx.tx.outbox.append(ctx.scope, RESOURCE_CHANGED, entry);
}
