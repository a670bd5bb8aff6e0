/**
 * @module
 * Changing an alarm's state, in a transaction: the alarm document, a StateUpdate history item, and
 * (when the new state has actions and actions are enabled) an outbox entry from which the action
 * subscriber publishes the notification after the commit.
 */
import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { appendHistory } from './alarm-history.js';
import { alarmNotification } from './alarm-notification.js';
import { saveAlarm, type AlarmDocument } from './alarms.js';

/** The outbox kind of state changes with actions to run. */
export const ALARM_STATE_CHANGED = 'monitoring.AlarmStateChanged';

/** The outbox payload of a state change with actions. */
export interface AlarmStateChangedEntry {
  readonly alarmName: string;
  readonly subject: string;
  readonly message: string;
  readonly actions: readonly string[];
  readonly at: number;
}

/** A new state. */
export interface NewState {
  readonly value: StateValue;
  readonly reason: string;
  readonly reasonData?: string;
}

function stateJson(value: string, reason: string, reasonData: string | undefined): Record<string, unknown> {
  return { stateValue: value, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) as unknown } : {}) };
}

/** Moves an alarm to a new state; returns the stored alarm (unchanged when the value is the same). */
export async function changeState(tx: Tx, scope: Scope, alarm: AlarmDocument, next: NewState, now: number): Promise<AlarmDocument> {
  if (next.value === alarm.state.value) return alarm;
  const old = alarm.state;
  const updated: AlarmDocument = {
    ...alarm,
    state: { value: next.value, reason: next.reason, reasonData: next.reasonData, updatedAt: now, transitionedAt: now },
  };
  await saveAlarm(tx, scope, updated);
  await appendHistory(tx, scope, {
    alarmName: alarm.name,
    type: 'StateUpdate',
    summary: `Alarm updated from ${old.value} to ${next.value}`,
    data: JSON.stringify({ version: '1.0', oldState: stateJson(old.value, old.reason, old.reasonData), newState: stateJson(next.value, next.reason, next.reasonData) }),
    at: now,
  });
  const notification = alarmNotification(scope, updated, old.value);
  if (notification.actions.length > 0) {
    const entry: AlarmStateChangedEntry = { alarmName: alarm.name, ...notification, at: now };
    await tx.outbox.append(scope, ALARM_STATE_CHANGED, entry);
  }
  return updated;
}
