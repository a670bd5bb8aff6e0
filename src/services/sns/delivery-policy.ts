/**
 * @module
 * HTTP/S delivery policies: how often and how fast SNS retries a failed delivery. A topic's
 * `DeliveryPolicy` (`{"http": {"defaultHealthyRetryPolicy": ..., "disableSubscriptionOverrides",
 * "defaultThrottlePolicy", "defaultRequestPolicy"}}`) applies to its HTTP/S subscriptions unless a
 * subscription has its own (`{"healthyRetryPolicy": ..., "throttlePolicy", "requestPolicy"}`).
 *
 * A retry policy has four phases after the first attempt: immediate retries, pre-backoff retries
 * `minDelayTarget` apart, backoff retries from min to max delay by `backoffFunction`, and
 * post-backoff retries `maxDelayTarget` apart; then SNS gives up. Pure: no I/O.
 */
import { InvalidParameterException } from './errors.js';

/** The backoff functions SNS offers. */
export type BackoffFunction = 'arithmetic' | 'exponential' | 'geometric' | 'linear';

/** A healthy retry policy, delays in seconds. */
export interface RetryPolicy {
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numRetries: number;
  readonly numMaxDelayRetries: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly backoffFunction: BackoffFunction;
}

/** What SNS uses when no policy says otherwise: three retries, 20 seconds apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear',
};

/** The default Content-Type of HTTP/S deliveries. */
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

const MAX_TOTAL_SECONDS = 3600;
const BACKOFF = new Set(['arithmetic', 'exponential', 'geometric', 'linear']);

interface RequestPolicy {
  readonly headerContentType?: string;
}

interface ThrottlePolicy {
  readonly maxReceivesPerSecond?: number;
}

/** A topic's delivery policy for HTTP/S, as set. */
export interface TopicDeliveryPolicy {
  readonly http?: {
    readonly defaultHealthyRetryPolicy?: Partial<RetryPolicy>;
    readonly disableSubscriptionOverrides?: boolean;
    readonly defaultThrottlePolicy?: ThrottlePolicy;
    readonly defaultRequestPolicy?: RequestPolicy;
  };
}

/** A subscription's delivery policy, as set. */
export interface SubscriptionDeliveryPolicy {
  readonly healthyRetryPolicy?: Partial<RetryPolicy>;
  readonly throttlePolicy?: ThrottlePolicy;
  readonly requestPolicy?: RequestPolicy;
}

/** How one delivery is made and retried. */
export interface EffectiveDelivery {
  readonly retry: RetryPolicy;
  readonly contentType: string;
}

function invalid(reason: string): InvalidParameterException {
  return new InvalidParameterException(`DeliveryPolicy: ${reason}`);
}

function parse(json: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid('the policy is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('the policy must be a JSON object');
  return value as Record<string, unknown>;
}

/** The seconds each retry waits, in order; undefined entries never occur. */
export function retryDelays(policy: RetryPolicy): number[] {
  const { numRetries, numNoDelayRetries, numMinDelayRetries, numMaxDelayRetries, minDelayTarget: min, maxDelayTarget: max } = policy;
  const backoff = numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries;
  const delays: number[] = [];
  for (let r = 1; r <= numRetries; r++) {
    if (r <= numNoDelayRetries) delays.push(0);
    else if (r <= numNoDelayRetries + numMinDelayRetries) delays.push(min);
    else if (r <= numNoDelayRetries + numMinDelayRetries + backoff) delays.push(backoffDelay(policy.backoffFunction, r - numNoDelayRetries - numMinDelayRetries, backoff, min, max));
    else delays.push(max);
  }
  return delays;
}

function backoffDelay(fn: BackoffFunction, i: number, count: number, min: number, max: number): number {
  switch (fn) {
    case 'linear':
      return min + ((max - min) * i) / count;
    case 'arithmetic':
      return min + ((max - min) * (i * (i + 1))) / (count * (count + 1));
    case 'geometric':
      return min * (max / min) ** (i / count);
    case 'exponential':
      return min + ((max - min) * (2 ** i - 1)) / (2 ** count - 1);
  }
}

/** The delay before retry number `retry` (1-based), in ms; undefined when the policy is exhausted. */
export function retryDelayMs(policy: RetryPolicy, retry: number): number | undefined {
  const seconds = retryDelays(policy)[retry - 1];
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

function retryPolicy(raw: unknown, where: string): Partial<RetryPolicy> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object') throw invalid(`${where} must be an object`);
  const given = raw as Record<string, unknown>;
  const merged = { ...DEFAULT_RETRY_POLICY, ...given } as Record<string, unknown>;
  for (const name of ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries']) {
    const n = merged[name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid(`${where}.${name} must be a whole number of 0 or more`);
  }
  const policy = merged as unknown as RetryPolicy;
  if (!BACKOFF.has(policy.backoffFunction)) throw invalid(`${where}.backoffFunction must be one of arithmetic, exponential, geometric, linear`);
  if (policy.minDelayTarget < 1) throw invalid(`${where}.minDelayTarget must be at least 1`);
  if (policy.maxDelayTarget < policy.minDelayTarget) throw invalid(`${where}.maxDelayTarget must not be less than minDelayTarget`);
  if (policy.maxDelayTarget > MAX_TOTAL_SECONDS) throw invalid(`${where}.maxDelayTarget must be at most ${MAX_TOTAL_SECONDS}`);
  if (policy.numRetries > 100) throw invalid(`${where}.numRetries must be at most 100`);
  if (policy.numNoDelayRetries + policy.numMinDelayRetries + policy.numMaxDelayRetries > policy.numRetries) {
    throw invalid(`${where}: numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries must not add up to more than numRetries`);
  }
  if (retryDelays(policy).reduce((a, b) => a + b, 0) > MAX_TOTAL_SECONDS) throw invalid(`${where}: the retries must not take more than ${MAX_TOTAL_SECONDS} seconds in all`);
  return given as Partial<RetryPolicy>;
}

function requestPolicy(raw: unknown, where: string): RequestPolicy | undefined {
  if (raw === undefined || raw === null) return undefined;
  const contentType = (raw as RequestPolicy).headerContentType;
  if (typeof raw !== 'object' || (contentType !== undefined && (typeof contentType !== 'string' || contentType === ''))) {
    throw invalid(`${where}.headerContentType must be a content type`);
  }
  return raw as RequestPolicy;
}

function throttlePolicy(raw: unknown, where: string): ThrottlePolicy | undefined {
  if (raw === undefined || raw === null) return undefined;
  const rate = (raw as ThrottlePolicy).maxReceivesPerSecond;
  if (typeof raw !== 'object' || (rate !== undefined && (typeof rate !== 'number' || rate < 1))) throw invalid(`${where}.maxReceivesPerSecond must be at least 1`);
  return raw as ThrottlePolicy;
}

/** Checks a topic's DeliveryPolicy attribute; throws InvalidParameter naming what is wrong. */
export function parseTopicDeliveryPolicy(json: string): TopicDeliveryPolicy {
  const http = parse(json).http as Record<string, unknown> | undefined;
  if (http === undefined) return {};
  if (!http || typeof http !== 'object') throw invalid('http must be an object');
  retryPolicy(http.defaultHealthyRetryPolicy, 'http.defaultHealthyRetryPolicy');
  throttlePolicy(http.defaultThrottlePolicy, 'http.defaultThrottlePolicy');
  requestPolicy(http.defaultRequestPolicy, 'http.defaultRequestPolicy');
  if (http.disableSubscriptionOverrides !== undefined && typeof http.disableSubscriptionOverrides !== 'boolean') {
    throw invalid('http.disableSubscriptionOverrides must be true or false');
  }
  return { http } as TopicDeliveryPolicy;
}

/** Checks a subscription's DeliveryPolicy attribute. */
export function parseSubscriptionDeliveryPolicy(json: string): SubscriptionDeliveryPolicy {
  const policy = parse(json);
  retryPolicy(policy.healthyRetryPolicy, 'healthyRetryPolicy');
  throttlePolicy(policy.throttlePolicy, 'throttlePolicy');
  requestPolicy(policy.requestPolicy, 'requestPolicy');
  return policy as SubscriptionDeliveryPolicy;
}

/** The topic's EffectiveDeliveryPolicy attribute: its policy with SNS's defaults filled in. */
export function effectiveTopicPolicy(topic: TopicDeliveryPolicy | undefined): string {
  const http = topic?.http ?? {};
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: { ...DEFAULT_RETRY_POLICY, ...http.defaultHealthyRetryPolicy },
      ...(http.defaultThrottlePolicy ? { defaultThrottlePolicy: http.defaultThrottlePolicy } : {}),
      disableSubscriptionOverrides: http.disableSubscriptionOverrides ?? false,
      defaultRequestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE, ...http.defaultRequestPolicy },
    },
  });
}

/** How a subscription's deliveries are made: its own policy unless the topic disables overrides. */
export function effectiveDelivery(topic: TopicDeliveryPolicy | undefined, subscription: SubscriptionDeliveryPolicy | undefined): EffectiveDelivery {
  const http = topic?.http ?? {};
  const own = http.disableSubscriptionOverrides ? undefined : subscription;
  return {
    retry: { ...DEFAULT_RETRY_POLICY, ...http.defaultHealthyRetryPolicy, ...own?.healthyRetryPolicy },
    contentType: own?.requestPolicy?.headerContentType ?? http.defaultRequestPolicy?.headerContentType ?? DEFAULT_CONTENT_TYPE,
  };
}

/** The subscription's EffectiveDeliveryPolicy attribute. */
export function effectiveSubscriptionPolicy(topic: TopicDeliveryPolicy | undefined, subscription: SubscriptionDeliveryPolicy | undefined): string {
  const { retry, contentType } = effectiveDelivery(topic, subscription);
  const throttle = (topic?.http?.disableSubscriptionOverrides ? undefined : subscription?.throttlePolicy) ?? topic?.http?.defaultThrottlePolicy ?? null;
  return JSON.stringify({
    healthyRetryPolicy: retry,
    sicklyRetryPolicy: null,
    throttlePolicy: throttle,
    requestPolicy: { headerContentType: contentType },
    guaranteed: false,
  });
}
