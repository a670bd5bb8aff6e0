import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY, effectiveDelivery, effectiveSubscriptionPolicy, parseSubscriptionDeliveryPolicy, parseTopicDeliveryPolicy,
  retryDelayMs, retryDelays, type RetryPolicy,
} from './delivery-policy.js';

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, ...overrides });

describe('retry schedules', () => {
  it('default to three retries 20 seconds apart, then give up', () => {
    expect(retryDelays(DEFAULT_RETRY_POLICY)).toEqual([20, 20, 20]);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3)).toBe(20_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 4)).toBeUndefined();
  });

  it('run the four phases in order: immediate, minimum delay, backoff, maximum delay', () => {
    const phases = policy({ numRetries: 10, numNoDelayRetries: 2, numMinDelayRetries: 2, numMaxDelayRetries: 2, minDelayTarget: 1, maxDelayTarget: 9 });
    expect(retryDelays(phases)).toEqual([0, 0, 1, 1, 3, 5, 7, 9, 9, 9]);
  });

  it('reach the maximum delay at the end of the backoff phase whatever the function', () => {
    for (const backoffFunction of ['linear', 'arithmetic', 'geometric', 'exponential'] as const) {
      const delays = retryDelays(policy({ numRetries: 5, minDelayTarget: 2, maxDelayTarget: 64, backoffFunction }));
      expect(delays[4], backoffFunction).toBeCloseTo(64);
      expect([...delays].sort((a, b) => a - b), backoffFunction).toEqual(delays);
      expect(delays[0]!, backoffFunction).toBeGreaterThanOrEqual(2);
    }
    expect(retryDelays(policy({ numRetries: 3, minDelayTarget: 1, maxDelayTarget: 8, backoffFunction: 'geometric' })).map(Math.round)).toEqual([2, 4, 8]);
    expect(retryDelays(policy({ numRetries: 3, minDelayTarget: 1, maxDelayTarget: 8, backoffFunction: 'exponential' }))).toEqual([2, 4, 8]);
    expect(retryDelays(policy({ numRetries: 3, minDelayTarget: 1, maxDelayTarget: 7, backoffFunction: 'linear' }))).toEqual([3, 5, 7]);
  });
});

describe('delivery policies', () => {
  it('refuse what breaks the rules, naming the field', () => {
    const topic = (retry: object) => JSON.stringify({ http: { defaultHealthyRetryPolicy: retry } });
    expect(() => parseTopicDeliveryPolicy('{')).toThrow('Invalid parameter: DeliveryPolicy: the policy is not valid JSON');
    expect(() => parseTopicDeliveryPolicy(topic({ minDelayTarget: 0 }))).toThrow('http.defaultHealthyRetryPolicy.minDelayTarget must be at least 1');
    expect(() => parseTopicDeliveryPolicy(topic({ minDelayTarget: 30 }))).toThrow('maxDelayTarget must not be less than minDelayTarget');
    expect(() => parseTopicDeliveryPolicy(topic({ numRetries: 101 }))).toThrow('numRetries must be at most 100');
    expect(() => parseTopicDeliveryPolicy(topic({ numRetries: 1, numNoDelayRetries: 2 }))).toThrow('must not add up to more than numRetries');
    expect(() => parseTopicDeliveryPolicy(topic({ backoffFunction: 'cubic' }))).toThrow('backoffFunction must be one of');
    expect(() => parseTopicDeliveryPolicy(topic({ numRetries: 100, minDelayTarget: 60, maxDelayTarget: 60 }))).toThrow('must not take more than 3600 seconds');
    expect(() => parseSubscriptionDeliveryPolicy(JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: 0 } }))).toThrow('maxReceivesPerSecond must be at least 1');
    expect(() => parseSubscriptionDeliveryPolicy(JSON.stringify({ requestPolicy: { headerContentType: '' } }))).toThrow('headerContentType');
  });

  it('let a subscription override its topic unless the topic disables overrides', () => {
    const topic = parseTopicDeliveryPolicy(JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 }, defaultRequestPolicy: { headerContentType: 'application/json' } } }));
    const own = parseSubscriptionDeliveryPolicy(JSON.stringify({ healthyRetryPolicy: { numRetries: 1 } }));
    expect(effectiveDelivery(topic, own)).toEqual({ retry: policy({ numRetries: 1 }), contentType: 'application/json' });
    expect(effectiveDelivery(topic, undefined).retry.numRetries).toBe(5);
    const locked = parseTopicDeliveryPolicy(JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 }, disableSubscriptionOverrides: true } }));
    expect(effectiveDelivery(locked, own).retry.numRetries).toBe(5);
    expect(JSON.parse(effectiveSubscriptionPolicy(undefined, undefined))).toEqual({
      healthyRetryPolicy: DEFAULT_RETRY_POLICY, sicklyRetryPolicy: null, throttlePolicy: null,
      requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' }, guaranteed: false,
    });
  });
});
