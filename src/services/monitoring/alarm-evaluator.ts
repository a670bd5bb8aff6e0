/**
 * @module
 * Alarm evaluation as background work. An alarm watches one metric's statistic, or the series of a
 * metric math expression over its Metrics (computed over the evaluation window by query-series.ts).
 * Alarms are judged (alarm-state.ts) on three occasions:
 * right after new data points for their metric commit (the `monitoring.MetricData` outbox entry),
 * right after the alarm is created or changed (`monitoring.AlarmChanged`), and on a timer every
 * `alarmEvaluationInterval` seconds (so that silence turns into missing data). A 10-second
 * alarm therefore sees each datapoint at once and each empty period within one interval. A state
 * change is written in its own transaction, after re-reading the alarm, so concurrent evaluations
 * of the same alarm change it once.
 */
import type { Scope } from '../../core/scope.js';
import type { OutboxEntry, Tx } from '../../store/types.js';
import type { OutboxSubscriber } from '../../server/dispatcher.js';
import type { ServiceEnvironment } from '../service.js';
import { ALARM_CHANGED } from './alarm-handlers.js';
import { evaluateAlarm, evaluationWindow, type AlarmRule, type PeriodValue } from './alarm-state.js';
import { changeState } from './alarm-transition.js';
import { ALARM_KIND, alarmMetrics, findAlarm, watchedExpression, watchedMetric, type AlarmDocument } from './alarms.js';
import { MetricMathError } from './errors.js';
import { sortedPoints } from './metric-math/values.js';
import { readSeries } from './metric-series.js';
import { METRIC_DATA_KIND, type MetricDataEntry } from './metric-points.js';
import { compileMetricQueries, evaluateMetricQueries } from './query-series.js';

/** What an alarm is judged on: its rule and how to read its values over a window. */
interface Watch {
  readonly stat: string;
  readonly period: number;
  readonly read: (tx: Tx, scope: Scope, window: { start: number; end: number }) => Promise<PeriodValue[] | undefined>;
}

function watchOf(alarm: AlarmDocument): Watch | undefined {
  const metric = watchedMetric(alarm);
  if (metric) {
    return {
      stat: metric.stat,
      period: metric.period,
      read: (tx, scope, { start, end }) => readSeries(tx, scope, { metric: metric.metric, start, end, period: metric.period, stat: metric.stat, unit: metric.unit }),
    };
  }
  const expression = watchedExpression(alarm);
  if (!expression) return undefined;
  return {
    stat: '',
    period: expression.period,
    read: async (tx, scope, window) => {
      let values;
      try {
        values = await evaluateMetricQueries(tx, scope, expression.queries, compileMetricQueries(expression.queries), window);
      } catch (e) {
        if (e instanceof MetricMathError) return undefined;
        throw e;
      }
      const value = values.get(expression.id);
      if (value?.type !== 'series') return undefined;
      return sortedPoints(value.series).map(([timestamp, v]) => ({ timestamp, value: v }));
    },
  };
}

function ruleOf(alarm: AlarmDocument, stat: string, period: number): AlarmRule {
  return {
    period,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
    threshold: alarm.threshold ?? 0,
    comparisonOperator: alarm.comparisonOperator,
    treatMissingData: alarm.treatMissingData ?? 'missing',
    stat,
    state: alarm.state.value,
  };
}

/** Judges alarms and records their state changes. */
export class AlarmEvaluator {
  constructor(private readonly env: ServiceEnvironment) {}

  /** Judges one alarm now; returns whether its state changed. */
  async evaluate(scope: Scope, alarm: AlarmDocument): Promise<boolean> {
    const watch = watchOf(alarm);
    if (!watch) return false;
    const now = this.env.clock.now();
    const rule = ruleOf(alarm, watch.stat, watch.period);
    const window = evaluationWindow(rule, now);
    const series = await this.env.store.read((tx) => watch.read(tx, scope, window));
    if (!series) return false;
    const verdict = evaluateAlarm(rule, series, now);
    if (!verdict || verdict.state === alarm.state.value) return false;
    return this.env.store.transaction(async (tx) => {
      const current = await findAlarm(tx, scope, alarm.name);
      if (!current || current.configurationUpdatedAt !== alarm.configurationUpdatedAt || current.state.value === verdict.state) return false;
      await changeState(tx, scope, current, { value: verdict.state, reason: verdict.reason, reasonData: verdict.reasonData }, now);
      return true;
    });
  }

  /** Judges the alarms of a scope that pass a filter. */
  async evaluateScope(scope: Scope, filter: (alarm: AlarmDocument) => boolean = () => true): Promise<void> {
    const alarms = await this.env.store.read((tx) => tx.documents.list<AlarmDocument>(scope, ALARM_KIND));
    for (const { doc } of alarms) if (filter(doc)) await this.evaluate(scope, doc);
  }

  /** Judges every alarm of every known account. */
  async evaluateAll(): Promise<void> {
    const accounts = await this.env.store.read((tx) => tx.accounts.list());
    for (const { accountId } of accounts) {
      const regions = new Set((await this.env.store.read((tx) => tx.documents.listInAccount(accountId, ALARM_KIND))).map((e) => e.region));
      for (const region of regions) await this.evaluateScope({ accountId, region });
    }
  }

  /** The outbox subscriber that judges alarms after new data or a changed alarm. */
  subscriber(): OutboxSubscriber {
    return {
      name: 'monitoring.alarm-evaluation',
      feed: 'outbox',
      handle: async (entries: readonly OutboxEntry[]) => {
        const work = new Map<string, { scope: Scope; metrics: Set<string>; alarms: Set<string> }>();
        for (const entry of entries) {
          if (entry.kind !== METRIC_DATA_KIND && entry.kind !== ALARM_CHANGED) continue;
          const key = `${entry.accountId}/${entry.region}`;
          let item = work.get(key);
          if (!item) {
            item = { scope: { accountId: entry.accountId, region: entry.region }, metrics: new Set(), alarms: new Set() };
            work.set(key, item);
          }
          if (entry.kind === METRIC_DATA_KIND) {
            for (const m of (entry.payload as MetricDataEntry).metrics) item.metrics.add(`${m.namespace}\u0000${m.metricName}`);
          } else {
            item.alarms.add((entry.payload as { alarmName: string }).alarmName);
          }
        }
        for (const { scope, metrics, alarms } of work.values()) {
          await this.evaluateScope(scope, (alarm) => {
            if (alarms.has(alarm.name)) return true;
            return alarmMetrics(alarm).some((m) => metrics.has(`${m.namespace}\u0000${m.metricName}`));
          });
        }
      },
    };
  }
}
