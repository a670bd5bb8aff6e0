/**
 * @module
 * How a metric alarm's state follows from its data: a pure function of the alarm's settings, the
 * time, and the metric's values per period. No I/O; alarm-evaluator.ts feeds it.
 *
 * The evaluation range is the alarm's EvaluationPeriods (N) doubled, counted back in whole periods
 * aligned to the epoch; the current, unfinished period is part of it only once it has data (so a
 * datapoint alarms as soon as it arrives, and silence counts only for periods that are over). As AWS
 * documents: with at least N real datapoints in the range, the N most recent decide (ALARM when at
 * least DatapointsToAlarm (M) of them breach); with fewer, TreatMissingData fills the missing ones:
 * `breaching` and `notBreaching` fill with that verdict; `ignore` keeps the state unless the real
 * points decide it; `missing` (the default) decides on the real points alone (at most M of them
 * needed) and is INSUFFICIENT_DATA when there are none.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 */
import type { ComparisonOperator, StateValue } from '@aws-sdk/client-cloudwatch';

/** What evaluation needs to know about an alarm. */
export interface AlarmRule {
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator | string;
  readonly treatMissingData: string;
  /** The statistic, or '' for an alarm on metric math. */
  readonly stat: string;
  readonly state: StateValue | string;
}

/** A period's value (timestamp: the period's start, ms). */
export interface PeriodValue {
  readonly timestamp: number;
  readonly value: number;
  /** Absent for the values of a metric math expression. */
  readonly sampleCount?: number;
}

/** The outcome of an evaluation. */
export interface Verdict {
  readonly state: StateValue;
  readonly reason: string;
  /** JSON, as StateReasonData. */
  readonly reasonData: string;
}

const OPERATORS: Record<string, { test: (v: number, t: number) => boolean; words: string }> = {
  GreaterThanOrEqualToThreshold: { test: (v, t) => v >= t, words: 'greater than or equal to' },
  GreaterThanThreshold: { test: (v, t) => v > t, words: 'greater than' },
  LessThanThreshold: { test: (v, t) => v < t, words: 'less than' },
  LessThanOrEqualToThreshold: { test: (v, t) => v <= t, words: 'less than or equal to' },
};

/** Whether an operator compares with a static threshold (the ones this module evaluates). */
export function isStaticOperator(operator: string): boolean {
  return operator in OPERATORS;
}

/** The window [start, end) of periods an evaluation at `now` reads. */
export function evaluationWindow(rule: Pick<AlarmRule, 'period' | 'evaluationPeriods'>, now: number): { start: number; end: number } {
  const p = rule.period * 1000;
  const current = Math.floor(now / p) * p;
  return { start: current - (2 * rule.evaluationPeriods - 1) * p, end: current + p };
}

/** `1.0`-style numbers, as CloudWatch writes them in reasons. */
function num(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** `25/11/26 22:40:00`, the time format of CloudWatch's state reasons. */
function shortTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2026-11-25T22:40:00.000+0000`, the time format of CloudWatch's JSON documents. */
export function cloudwatchTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * Evaluates an alarm at `now` over the metric's values (any order; only those in the window
 * count). Returns undefined when the state stays as it is (`ignore` without deciding data, or an
 * operator this module does not evaluate).
 */
export function evaluateAlarm(rule: AlarmRule, values: readonly PeriodValue[], now: number): Verdict | undefined {
  const operator = OPERATORS[rule.comparisonOperator];
  if (!operator) return undefined;
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const p = rule.period * 1000;
  const current = Math.floor(now / p) * p;
  const { start } = evaluationWindow(rule, now);
  const inRange = values
    .filter((v) => v.timestamp >= start && v.timestamp <= current)
    .sort((a, b) => b.timestamp - a.timestamp);
  const real = inRange.slice(0, n);
  const breaches = (v: PeriodValue) => operator.test(v.value, rule.threshold);
  const breaching = real.filter(breaches).length;
  const notBreaching = real.length - breaching;
  const missing = n - real.length;

  let state: StateValue | undefined;
  if (missing === 0) state = breaching >= m ? 'ALARM' : 'OK';
  else if (rule.treatMissingData === 'breaching') state = breaching + missing >= m ? 'ALARM' : 'OK';
  else if (rule.treatMissingData === 'notBreaching') state = breaching >= m ? 'ALARM' : 'OK';
  else if (rule.treatMissingData === 'ignore') state = breaching >= m ? 'ALARM' : notBreaching > n - m ? 'OK' : undefined;
  else if (real.length === 0) state = 'INSUFFICIENT_DATA';
  else state = breaching >= Math.min(m, real.length) ? 'ALARM' : 'OK';
  if (state === undefined) return undefined;

  const shown = real.slice().reverse();
  const list = shown.map((v) => `${num(v.value)} (${shortTime(v.timestamp)})`).join(', ');
  let reason: string;
  if (state === 'INSUFFICIENT_DATA') {
    reason = `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
  } else if (n === 1 && real.length === 1) {
    reason = `Threshold Crossed: 1 datapoint [${list}] was ${state === 'OK' ? 'not ' : ''}${operator.words} the threshold (${num(rule.threshold)}).`;
  } else {
    const count = state === 'ALARM' ? breaching : notBreaching;
    reason = `Threshold Crossed: ${count} out of the last ${n} datapoints [${list}] ${count === 1 ? 'was' : 'were'} ${state === 'OK' ? 'not ' : ''}${operator.words} the threshold (${num(rule.threshold)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for ${state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`;
  }
  const reasonData = {
    version: '1.0',
    queryDate: cloudwatchTime(now),
    startDate: cloudwatchTime(shown[0]?.timestamp ?? start),
    ...(rule.stat === '' ? {} : rule.stat.startsWith('p') ? { unit: undefined, extendedStatistic: rule.stat } : { statistic: rule.stat }),
    period: rule.period,
    recentDatapoints: shown.map((v) => v.value),
    threshold: rule.threshold,
    evaluatedDatapoints: real.map((v) => ({ timestamp: cloudwatchTime(v.timestamp), sampleCount: v.sampleCount, value: v.value })),
  };
  return { state, reason, reasonData: JSON.stringify(reasonData) };
}
