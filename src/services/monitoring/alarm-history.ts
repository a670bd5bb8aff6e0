/**
 * @module
 * Alarm history: what DescribeAlarmHistory lists (configuration updates, state updates, actions),
 * kept as documents whose ids start with the time, so they list in time order.
 */
import type {
  AlarmHistoryItem, DescribeAlarmHistoryCommandInput, DescribeAlarmHistoryCommandOutput, HistoryItemType,
} from '@aws-sdk/client-cloudwatch';
import { randomString } from '../../core/ids.js';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import { checkConstraints, enumConstraint, InvalidNextToken, InvalidParameterValueException } from './errors.js';

/** The document kind of history items. */
export const HISTORY_KIND = 'monitoring.alarm-history';

/** A history item as stored. */
export interface HistoryRecord {
  readonly alarmName: string;
  readonly type: HistoryItemType;
  readonly summary: string;
  /** JSON, as HistoryData. */
  readonly data: string;
  readonly at: number;
}

const TYPES: readonly HistoryItemType[] = ['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction'];

/** Adds a history item. */
export async function appendHistory(tx: Tx, scope: Scope, record: HistoryRecord): Promise<void> {
  await tx.documents.put(scope, HISTORY_KIND, `${String(record.at).padStart(15, '0')}.${randomString(10)}`, record);
}

/** Removes every history item of an alarm. */
export async function deleteHistory(tx: Tx, scope: Scope, alarmName: string): Promise<void> {
  for (const entry of await tx.documents.list<HistoryRecord>(scope, HISTORY_KIND)) {
    if (entry.doc.alarmName === alarmName) await tx.documents.delete(scope, HISTORY_KIND, entry.id);
  }
}

/** DescribeAlarmHistory: newest first by default, filtered by alarm, type and dates. */
export const describeAlarmHistory: Handler<DescribeAlarmHistoryCommandInput, Out<DescribeAlarmHistoryCommandOutput>> = async (input, ctx) => {
  const maxRecords = input.MaxRecords ?? 100;
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  checkConstraints(
    enumConstraint('historyItemType', input.HistoryItemType, TYPES),
    enumConstraint('scanBy', input.ScanBy, ['TimestampDescending', 'TimestampAscending']),
    maxRecords < 1 || maxRecords > 100 ? `Value '${maxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${maxRecords < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}` : undefined,
  );
  const start = input.StartDate?.getTime() ?? 0;
  const end = input.EndDate?.getTime() ?? Number.MAX_SAFE_INTEGER;
  if (start > end) throw new InvalidParameterValueException('The parameter StartDate must be less than or equal to the parameter EndDate.');
  const params = { n: input.AlarmName, t: input.HistoryItemType, s: start, e: end, scanBy };
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    after = decodeToken<string>(input.NextToken, params);
    if (after === undefined) throw new InvalidNextToken();
  }
  const descending = scanBy === 'TimestampDescending';
  const entries = (await ctx.tx.documents.list<HistoryRecord>(ctx.scope, HISTORY_KIND))
    .filter(({ doc }) => (input.AlarmName === undefined || doc.alarmName === input.AlarmName)
      && (input.HistoryItemType === undefined || doc.type === input.HistoryItemType)
      && doc.at >= start && doc.at <= end);
  if (descending) entries.reverse();
  const from = after === undefined ? 0 : entries.findIndex((e) => (descending ? e.id < after! : e.id > after!));
  const page = from < 0 ? [] : entries.slice(from, from + maxRecords);
  const more = from >= 0 && from + maxRecords < entries.length;
  return {
    AlarmHistoryItems: page.map(({ doc }): AlarmHistoryItem => ({
      AlarmName: doc.alarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: new Date(doc.at),
      HistoryItemType: doc.type,
      HistorySummary: doc.summary,
      HistoryData: doc.data,
    })),
    NextToken: more ? encodeToken(page[page.length - 1]!.id, params) : undefined,
  };
};
