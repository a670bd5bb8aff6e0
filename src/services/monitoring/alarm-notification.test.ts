/**
 * The SNS notification of an alarm state change: AWS's subject and message JSON.
 */
import { describe, expect, it } from 'vitest';
import { alarmNotification } from './alarm-notification.js';
import type { AlarmDocument } from './alarms.js';

const SCOPE = { accountId: '123456789012', region: 'eu-west-1' };
const AT = Date.UTC(2026, 10, 25, 22, 40, 5, 123);

function alarm(overrides: Partial<AlarmDocument> = {}): AlarmDocument {
  return {
    name: 'unauthorized_api_calls_alarm', actionsEnabled: true, okActions: ['arn:aws:sns:eu-west-1:123456789012:ok'],
    alarmActions: ['arn:aws:sns:eu-west-1:123456789012:alerts'], insufficientDataActions: [], metricName: 'unauthorized_api_calls_metric',
    namespace: 'CISBenchmark', statistic: 'Sum', dimensions: [{ Name: 'Service', Value: 'api' }], period: 300, evaluationPeriods: 1,
    threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', tags: [], configurationUpdatedAt: AT - 60_000,
    state: { value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [1.0 (25/11/26 22:40:00)] was greater than or equal to the threshold (1.0).', updatedAt: AT, transitionedAt: AT },
    ...overrides,
  };
}

describe('alarm notifications', () => {
  it('carries AWS subject and message for a metric alarm', () => {
    const n = alarmNotification(SCOPE, alarm(), 'INSUFFICIENT_DATA');
    expect(n.subject).toBe('ALARM: "unauthorized_api_calls_alarm" in EU (Ireland)');
    expect(n.actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:alerts']);
    expect(JSON.parse(n.message)).toEqual({
      AlarmName: 'unauthorized_api_calls_alarm',
      AlarmDescription: null,
      AWSAccountId: '123456789012',
      AlarmConfigurationUpdatedTimestamp: '2026-11-25T22:39:05.123+0000',
      NewStateValue: 'ALARM',
      NewStateReason: 'Threshold Crossed: 1 datapoint [1.0 (25/11/26 22:40:00)] was greater than or equal to the threshold (1.0).',
      StateChangeTime: '2026-11-25T22:40:05.123+0000',
      Region: 'EU (Ireland)',
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:unauthorized_api_calls_alarm',
      OldStateValue: 'INSUFFICIENT_DATA',
      OKActions: ['arn:aws:sns:eu-west-1:123456789012:ok'],
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:alerts'],
      InsufficientDataActions: [],
      Trigger: {
        MetricName: 'unauthorized_api_calls_metric', Namespace: 'CISBenchmark', StatisticType: 'Statistic', Statistic: 'SUM', Unit: null,
        Dimensions: [{ value: 'api', name: 'Service' }], Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, TreatMissingData: 'missing', EvaluateLowSampleCountPercentile: '',
      },
    });
  });

  it('names the actions of the new state, none while actions are disabled, and percentile triggers', () => {
    expect(alarmNotification(SCOPE, alarm({ state: { ...alarm().state, value: 'OK' } }), 'ALARM').actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:ok']);
    expect(alarmNotification(SCOPE, alarm({ actionsEnabled: false }), 'OK').actions).toEqual([]);
    const p99 = JSON.parse(alarmNotification(SCOPE, alarm({ statistic: undefined, extendedStatistic: 'p99' }), 'OK').message);
    expect(p99.Trigger).toMatchObject({ StatisticType: 'ExtendedStatistic', ExtendedStatistic: 'p99' });
    expect(alarmNotification({ ...SCOPE, region: 'xx-test-1' }, alarm({ name: 'n'.repeat(200) }), 'OK').subject).toHaveLength(100);
  });
});
