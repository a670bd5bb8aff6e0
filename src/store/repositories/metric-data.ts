/**
 * @module
 * The store repository of CloudWatch metric data points; part of the store contract (see ../types.ts).
 */
import type { Scope } from '../../core/scope.js';

/** A CloudWatch metric: namespace, name and dimensions (sorted by name, as the store keeps them). */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
}

/** A data point to store: one value, a statistic set, or a distribution of values. */
export interface NewMetricPoint extends MetricIdentity {
  readonly timestamp: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** `None` when the caller gave no unit. */
  readonly unit: string;
  /** [value, count] pairs, for percentiles; absent for statistic sets, which have none. */
  readonly distribution?: readonly (readonly [number, number])[];
}

/** A read of one metric over [startTime, endTime) in buckets of `period` ms aligned to startTime. */
export interface MetricQuery {
  readonly metric: MetricIdentity;
  readonly startTime: number;
  readonly endTime: number;
  readonly period: number;
  /** Only points of this unit. */
  readonly unit?: string;
}

/** The aggregate of one bucket (buckets without points are absent). */
export interface MetricBucket {
  readonly start: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** The units of the bucket's points. */
  readonly units: readonly string[];
}

/** A ListMetrics filter; results come in a stable order, resumable after a key. */
export interface MetricListQuery {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Metrics that have these dimensions (any value when `value` is absent). */
  readonly dimensions?: readonly { readonly name: string; readonly value?: string }[];
  /** Only metrics with a point at or after this time, ms. */
  readonly activeSince?: number;
  readonly after?: number;
  readonly limit: number;
}

/** CloudWatch metric data points, aggregated on read. */
export interface MetricData {
  put(scope: Scope, points: readonly NewMetricPoint[]): Promise<void>;
  aggregate(scope: Scope, query: MetricQuery): Promise<MetricBucket[]>;
  /** The merged [value, count] distribution of each bucket that has one, for percentiles. */
  distributions(scope: Scope, query: MetricQuery): Promise<{ start: number; values: [number, number][] }[]>;
  /** Metrics matching a filter, each with the key to resume after. */
  list(scope: Scope, query: MetricListQuery): Promise<(MetricIdentity & { readonly key: number })[]>;
}
