/**
 * @module
 * Alarm actions as background work: an outbox subscriber that, for each state change with actions,
 * publishes the alarm notification to each SNS topic through the pipeline (as the service principal
 * `cloudwatch.amazonaws.com`, so the publish is authorised and audited), and records the outcome
 * as an Action item in the alarm's history. Other kinds of action are recorded as failed.
 */
import { parseArn } from '../../core/arn.js';
import { servicePrincipal } from '../../auth/principal.js';
import type { OutboxEntry } from '../../store/types.js';
import type { OutboxSubscriber } from '../../server/dispatcher.js';
import type { ServiceEnvironment } from '../service.js';
import { appendHistory, type HistoryRecord } from './alarm-history.js';
import { ALARM_STATE_CHANGED, type AlarmStateChangedEntry } from './alarm-transition.js';

async function runAction(env: ServiceEnvironment, entry: OutboxEntry, change: AlarmStateChangedEntry, action: string): Promise<HistoryRecord> {
  const at = env.clock.now();
  const base = { alarmName: change.alarmName, type: 'Action' as const, at };
  const arn = parseArn(action);
  try {
    if (arn?.service !== 'sns') throw new Error(`Custos does not run ${arn?.service ?? 'unknown'} actions`);
    await env.invoke({
      service: 'sns',
      operation: 'Publish',
      input: { TopicArn: action, Subject: change.subject, Message: change.message },
      principal: servicePrincipal(entry.accountId, 'cloudwatch.amazonaws.com'),
      region: arn.region || entry.region,
    });
    return {
      ...base,
      summary: `Successfully executed action ${action}`,
      data: JSON.stringify({ actionState: 'Succeeded', stateUpdateTimestamp: change.at, notificationResource: action, publishedMessage: change.message }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    env.logger.warn({ alarm: change.alarmName, action, err: error }, 'alarm action failed');
    return {
      ...base,
      summary: `Failed to execute action ${action}. Received error: "${message}"`,
      data: JSON.stringify({ actionState: 'Failed', stateUpdateTimestamp: change.at, error: message }),
    };
  }
}

/** The outbox subscriber that runs alarm actions. */
export function alarmActionSubscriber(env: ServiceEnvironment): OutboxSubscriber {
  return {
    name: 'monitoring.alarm-actions',
    feed: 'outbox',
    async handle(entries) {
      for (const entry of entries) {
        if (entry.kind !== ALARM_STATE_CHANGED) continue;
        const change = entry.payload as AlarmStateChangedEntry;
        const records: HistoryRecord[] = [];
        for (const action of change.actions) records.push(await runAction(env, entry, change, action));
        const scope = { accountId: entry.accountId, region: entry.region };
        await env.store.transaction(async (tx) => {
          for (const record of records) await appendHistory(tx, scope, record);
        });
      }
    },
  };
}
