/**
 * @module
 * Trail → CloudWatch Logs: an audit-log subscriber that, for every trail with a log group and a
 * role, puts each record it selects into the group, in the stream `<account>_CloudTrail_<region>`
 * of the record's region (created when first needed), one log event per record, timestamped with the
 * record's eventTime. It acts as the trail's role (a session of `cloudtrail.amazonaws.com`), and
 * first checks that the role, as it is now, trusts CloudTrail and allows `logs:CreateLogStream` and
 * `logs:PutLogEvents` on the stream; if not, nothing is written and GetTrailStatus shows
 * `AccessDenied` (S3 delivery is a separate subscriber and loses nothing). It runs right after each
 * commit, so records reach the group within milliseconds. Records over 256 KB are left out, as AWS
 * does. A delivery CloudWatch Logs refuses (no such group, access denied) is reported in
 * GetTrailStatus and not retried; other failures make the dispatcher retry the batch.
 */
import type { InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Principal } from '../../auth/principal.js';
import { ServiceError } from '../../core/errors.js';
import type { EventSubscriber } from '../../server/dispatcher.js';
import type { Tx } from '../../store/types.js';
import type { ServiceEnvironment } from '../service.js';
import { logGroupOf, streamAccess, streamNameFor } from './cloudwatch-logs-role.js';
import { updateTrailStatus } from './delivery-state.js';
import { trailSelects } from './selector-matching.js';
import { candidateTrails, selectable } from './trail-selection.js';

const SUBSCRIBER = 'cloudtrail.cloudwatch-logs';
const MAX_EVENT_BYTES = 256 * 1024;
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_000_000;
const EVENT_OVERHEAD = 26;
/** GetTrailStatus's LatestCloudWatchLogsDeliveryError when the role does not let CloudTrail write. */
const ROLE_DENIED = 'AccessDenied';

/** Where a trail's records go in CloudWatch Logs. */
interface LogTarget {
  readonly trailArn: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly groupAccountId: string;
  readonly groupRegion: string;
  readonly groupName: string;
  readonly streamName: string;
  readonly events: InputLogEvent[];
}

function batches(events: readonly InputLogEvent[]): InputLogEvent[][] {
  const out: InputLogEvent[][] = [];
  let current: InputLogEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message!) + EVENT_OVERHEAD;
    if (current.length > 0 && (current.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Whether CloudWatch Logs answered that the stream (not the group) does not exist. */
function missingStream(error: unknown): boolean {
  return error instanceof ServiceError && error.code === 'ResourceNotFoundException' && error.message.includes('log stream');
}

/**
 * Sends one target's events, creating the stream when PutLogEvents says it is missing (never
 * up front: a failed CreateLogStream is a management event the trail itself would take).
 * Returns the error code CloudWatch Logs answered with, if any.
 */
async function send(env: ServiceEnvironment, target: LogTarget, session: Principal): Promise<string | undefined> {
  const call = (operation: string, input: Record<string, unknown>) => env.invoke({
    service: 'logs', operation, input, region: target.groupRegion, principal: session,
  });
  const names = { logGroupName: target.groupName, logStreamName: target.streamName };
  const events = [...target.events].sort((a, b) => a.timestamp! - b.timestamp!);
  try {
    for (const batch of batches(events)) {
      await call('PutLogEvents', { ...names, logEvents: batch }).catch(async (error: unknown) => {
        if (!missingStream(error)) throw error;
        await call('CreateLogStream', names);
        await call('PutLogEvents', { ...names, logEvents: batch });
      });
    }
    return undefined;
  } catch (error) {
    if (error instanceof ServiceError && error.senderFault) return error.code;
    throw error;
  }
}

/** The role session each target is written as; targets whose role does not let CloudTrail write are left out. */
async function roleSessions(tx: Tx, targets: Iterable<LogTarget>, now: number): Promise<Map<LogTarget, Principal>> {
  const sessions = new Map<LogTarget, Principal>();
  for (const target of targets) {
    const group = { accountId: target.groupAccountId, region: target.groupRegion, name: target.groupName };
    const access = await streamAccess(tx, target, group, target.streamName, now);
    if (access.allowed) sessions.set(target, access.session);
  }
  return sessions;
}

/** The subscriber that streams trails' records into their CloudWatch Logs groups. */
export function cloudWatchLogsSubscriber(env: ServiceEnvironment): EventSubscriber {
  return {
    name: SUBSCRIBER,
    feed: 'events',
    async handle(records) {
      const targets = new Map<string, LogTarget>();
      const sessions = await env.store.read(async (tx) => {
        const byAccount = new Map<string, Awaited<ReturnType<typeof candidateTrails>>>();
        for (const record of records) {
          let trails = byAccount.get(record.accountId);
          if (!trails) {
            trails = (await candidateTrails(tx, record.accountId)).filter((t) => t.trail.cloudWatchLogsLogGroupArn && t.trail.cloudWatchLogsRoleArn);
            byAccount.set(record.accountId, trails);
          }
          if (trails.length === 0 || record.body.length > MAX_EVENT_BYTES) continue;
          const event = selectable(record);
          for (const { trail, arn, view } of trails) {
            const group = logGroupOf(trail.cloudWatchLogsLogGroupArn!);
            if (!group || !trailSelects(view, event)) continue;
            const streamName = streamNameFor(record.accountId, record.region);
            const id = `${arn}\n${streamName}`;
            let target = targets.get(id);
            if (!target) {
              target = {
                trailArn: arn, accountId: record.accountId, roleArn: trail.cloudWatchLogsRoleArn!,
                groupAccountId: group.accountId, groupRegion: group.region, groupName: group.name, streamName, events: [],
              };
              targets.set(id, target);
            }
            target.events.push({ timestamp: record.eventTime, message: record.body });
          }
        }
        return roleSessions(tx, targets.values(), env.clock.now());
      });
      const outcomes = new Map<string, string | undefined>();
      for (const target of targets.values()) {
        const session = sessions.get(target);
        const error = session ? await send(env, target, session) : ROLE_DENIED;
        if (error !== undefined || !outcomes.has(target.trailArn)) outcomes.set(target.trailArn, error);
      }
      if (outcomes.size === 0) return;
      const now = env.clock.now();
      await env.store.transaction(async (tx) => {
        for (const [trailArn, error] of outcomes) {
          await updateTrailStatus(tx, trailArn, error === undefined
            ? { latestCloudWatchLogsDeliveryTime: now, latestCloudWatchLogsDeliveryError: undefined }
            : { latestCloudWatchLogsDeliveryError: error });
        }
      });
    },
  };
}
