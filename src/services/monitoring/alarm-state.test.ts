/**
 * The alarm state rules: M of N datapoints, the unfinished period, and every TreatMissingData
 * option on the cases of AWS's missing-data table (evaluation periods 3, datapoints to alarm 3,
 * data shown oldest first; 0 = not breaching, X = breaching, - = missing).
 */
import { describe, expect, it } from 'vitest';
import { evaluateAlarm, evaluationWindow, type AlarmRule, type PeriodValue } from './alarm-state.js';

const P = 60;
const NOW = Date.UTC(2026, 10, 25, 12, 0, 30);
const CURRENT = Date.UTC(2026, 10, 25, 12, 0, 0);

function rule(overrides: Partial<AlarmRule> = {}): AlarmRule {
  return {
    period: P, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 10, comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'missing', stat: 'Sum', state: 'OK', ...overrides,
  };
}

/** Values for a pattern like `0 X - X 0`, whose last character is the newest complete period. */
function series(pattern: string, current?: string): PeriodValue[] {
  const cells = pattern.split(' ');
  const values: PeriodValue[] = [];
  cells.forEach((cell, i) => {
    const timestamp = CURRENT - (cells.length - i) * P * 1000;
    if (cell !== '-') values.push({ timestamp, value: cell === 'X' ? 20 : 1, sampleCount: 1 });
  });
  if (current !== undefined) values.push({ timestamp: CURRENT, value: current === 'X' ? 20 : 1, sampleCount: 1 });
  return values;
}

describe('AWS missing-data table (3 of 3)', () => {
  const table: [string, string, Record<string, string>][] = [
    ['0 - X - X', 'evaluates the three real points', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - 0', 'one real point, not breaching', { missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' }],
    ['- - - - -', 'no data', { missing: 'INSUFFICIENT_DATA', ignore: 'retain', breaching: 'ALARM', notBreaching: 'OK' }],
    ['0 X X - X', 'three real points breach', { missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' }],
    ['- - X - -', 'one real point, breaching', { missing: 'ALARM', ignore: 'retain', breaching: 'ALARM', notBreaching: 'OK' }],
  ];
  for (const [data, what, outcomes] of table) {
    for (const [treatment, expected] of Object.entries(outcomes)) {
      it(`${data} (${what}) with ${treatment} → ${expected}`, () => {
        const verdict = evaluateAlarm(rule({ treatMissingData: treatment, state: 'OK' }), series(`- ${data}`), NOW);
        if (expected === 'retain') expect(verdict).toBeUndefined();
        else expect(verdict?.state).toBe(expected);
      });
    }
  }
});

describe('evaluation', () => {
  it('alarms on M of N breaching datapoints and words the reason as CloudWatch does', () => {
    const verdict = evaluateAlarm(rule({ evaluationPeriods: 3, datapointsToAlarm: 2 }), series('0 X X'), NOW)!;
    expect(verdict.state).toBe('ALARM');
    expect(verdict.reason).toBe('Threshold Crossed: 2 out of the last 3 datapoints [1.0 (25/11/26 11:57:00), 20.0 (25/11/26 11:58:00), 20.0 (25/11/26 11:59:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition).');
    expect(JSON.parse(verdict.reasonData)).toMatchObject({
      version: '1.0', statistic: 'Sum', period: 60, threshold: 10, recentDatapoints: [1, 20, 20],
      queryDate: '2026-11-25T12:00:30.000+0000', startDate: '2026-11-25T11:57:00.000+0000',
    });
    expect(evaluateAlarm(rule({ evaluationPeriods: 3, datapointsToAlarm: 3 }), series('0 X X'), NOW)!.state).toBe('OK');
  });

  it('counts the unfinished period once it has data, so a datapoint alarms at once', () => {
    const one = rule({ evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const verdict = evaluateAlarm(one, series('-', 'X'), NOW)!;
    expect(verdict.state).toBe('ALARM');
    expect(verdict.reason).toBe('Threshold Crossed: 1 datapoint [20.0 (25/11/26 12:00:00)] was greater than or equal to the threshold (1.0).');
    expect(evaluateAlarm({ ...one, threshold: 5 }, series('0'), NOW)!.reason)
      .toBe('Threshold Crossed: 1 datapoint [1.0 (25/11/26 11:59:00)] was not greater than or equal to the threshold (5.0).');
  });

  it('does not treat an empty unfinished period as missing, but does once it is over', () => {
    const breachingWhenMissing = rule({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'breaching', threshold: 5 });
    expect(evaluateAlarm(breachingWhenMissing, series('0'), NOW)!.state).toBe('OK');
    expect(evaluateAlarm(breachingWhenMissing, series('0'), NOW + P * 1000)!.state).toBe('ALARM');
    expect(evaluateAlarm(breachingWhenMissing, [], NOW)!.state).toBe('ALARM');
  });

  it('ignores data outside the evaluation window', () => {
    const window = evaluationWindow(rule(), NOW);
    expect(window).toEqual({ start: CURRENT - 5 * P * 1000, end: CURRENT + P * 1000 });
    const old = [{ timestamp: window.start - P * 1000, value: 99, sampleCount: 1 }];
    expect(evaluateAlarm(rule(), old, NOW)!.state).toBe('INSUFFICIENT_DATA');
    const future = [{ timestamp: CURRENT + P * 1000, value: 99, sampleCount: 1 }];
    expect(evaluateAlarm(rule(), future, NOW)!.state).toBe('INSUFFICIENT_DATA');
  });

  it.each([
    ['GreaterThanOrEqualToThreshold', 10, 'ALARM'], ['GreaterThanThreshold', 10, 'OK'],
    ['LessThanThreshold', 10, 'OK'], ['LessThanOrEqualToThreshold', 10, 'ALARM'], ['LessThanThreshold', 11, 'ALARM'],
  ])('%s against a value of 10 with threshold %d → %s', (operator, threshold, state) => {
    const r = rule({ evaluationPeriods: 1, datapointsToAlarm: 1, comparisonOperator: operator, threshold });
    expect(evaluateAlarm(r, [{ timestamp: CURRENT - P * 1000, value: 10, sampleCount: 1 }], NOW)!.state).toBe(state);
  });

  it('leaves anomaly-detection operators alone', () => {
    expect(evaluateAlarm(rule({ comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }), series('X X X'), NOW)).toBeUndefined();
  });
});
