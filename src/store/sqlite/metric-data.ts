/**
 * @module
 * CloudWatch metric data in SQLite: a row per series (namespace, name, sorted dimensions) and a
 * row per data point, indexed by series and time. Statistics are aggregated by SQL per period, so
 * a long window costs one indexed range read, not a transfer of every point.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { MetricBucket, MetricData, MetricIdentity, MetricListQuery, MetricQuery, NewMetricPoint } from '../types.js';

interface SeriesRow {
  id: number;
  namespace: string;
  metric_name: string;
  dimensions: string;
}

function dimensionsKey(metric: MetricIdentity): string {
  return JSON.stringify([...metric.dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => [d.name, d.value]));
}

function identity(row: SeriesRow): MetricIdentity & { key: number } {
  const dimensions = (JSON.parse(row.dimensions) as [string, string][]).map(([name, value]) => ({ name, value }));
  return { key: row.id, namespace: row.namespace, metricName: row.metric_name, dimensions };
}

/** The SQLite MetricData repository over one connection. */
export class SqliteMetricData implements MetricData {
  readonly #series: Statement;
  readonly #findSeries: Statement;
  readonly #insertPoint: Statement;
  readonly #aggregate: Statement;
  readonly #aggregateUnit: Statement;
  readonly #distributions: Statement;
  readonly #distributionsUnit: Statement;
  readonly #list: Statement;

  constructor(db: Database) {
    this.#series = db.prepare(`INSERT INTO metric_series (account_id, region, namespace, metric_name, dimensions, last_timestamp)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account_id, region, namespace, metric_name, dimensions) DO UPDATE SET last_timestamp = max(last_timestamp, excluded.last_timestamp)
      RETURNING id`);
    this.#findSeries = db.prepare('SELECT id FROM metric_series WHERE account_id = ? AND region = ? AND namespace = ? AND metric_name = ? AND dimensions = ?');
    this.#insertPoint = db.prepare(`INSERT INTO metric_points (series_id, timestamp, sample_count, sum, min, max, unit, distribution)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const aggregate = (unit: boolean) => db.prepare(`SELECT CAST((timestamp - @start) / @period AS INTEGER) AS bucket, SUM(sample_count) AS n, SUM(sum) AS s,
      MIN(min) AS lo, MAX(max) AS hi, group_concat(DISTINCT unit) AS units
      FROM metric_points WHERE series_id = @series AND timestamp >= @start AND timestamp < @end ${unit ? 'AND unit = @unit' : ''}
      GROUP BY bucket ORDER BY bucket`);
    this.#aggregate = aggregate(false);
    this.#aggregateUnit = aggregate(true);
    const distributions = (unit: boolean) => db.prepare(`SELECT CAST((timestamp - @start) / @period AS INTEGER) AS bucket, distribution
      FROM metric_points WHERE series_id = @series AND timestamp >= @start AND timestamp < @end AND distribution IS NOT NULL
      ${unit ? 'AND unit = @unit' : ''} ORDER BY timestamp`);
    this.#distributions = distributions(false);
    this.#distributionsUnit = distributions(true);
    this.#list = db.prepare(`SELECT id, namespace, metric_name, dimensions FROM metric_series
      WHERE account_id = @account AND region = @region AND id > @after
      AND (@namespace IS NULL OR namespace = @namespace) AND (@name IS NULL OR metric_name = @name)
      AND last_timestamp >= @since ORDER BY id LIMIT @limit`);
  }

  async put(scope: Scope, points: readonly NewMetricPoint[]): Promise<void> {
    for (const point of points) {
      const { id } = this.#series.get(
        scope.accountId, scope.region, point.namespace, point.metricName, dimensionsKey(point), point.timestamp,
      ) as { id: number };
      this.#insertPoint.run(
        id, point.timestamp, point.sampleCount, point.sum, point.min, point.max, point.unit,
        point.distribution ? JSON.stringify(point.distribution) : null,
      );
    }
  }

  #seriesId(scope: Scope, metric: MetricIdentity): number | undefined {
    const row = this.#findSeries.get(scope.accountId, scope.region, metric.namespace, metric.metricName, dimensionsKey(metric)) as { id: number } | undefined;
    return row?.id;
  }

  async aggregate(scope: Scope, query: MetricQuery): Promise<MetricBucket[]> {
    const series = this.#seriesId(scope, query.metric);
    if (series === undefined || query.endTime <= query.startTime) return [];
    const params = { series, start: query.startTime, end: query.endTime, period: query.period, unit: query.unit };
    const rows = (query.unit === undefined ? this.#aggregate.all(params) : this.#aggregateUnit.all(params)) as
      { bucket: number; n: number; s: number; lo: number; hi: number; units: string }[];
    return rows.map((row) => ({
      start: query.startTime + row.bucket * query.period,
      sampleCount: row.n,
      sum: row.s,
      min: row.lo,
      max: row.hi,
      units: row.units.split(','),
    }));
  }

  async distributions(scope: Scope, query: MetricQuery): Promise<{ start: number; values: [number, number][] }[]> {
    const series = this.#seriesId(scope, query.metric);
    if (series === undefined || query.endTime <= query.startTime) return [];
    const params = { series, start: query.startTime, end: query.endTime, period: query.period, unit: query.unit };
    const rows = (query.unit === undefined ? this.#distributions.all(params) : this.#distributionsUnit.all(params)) as
      { bucket: number; distribution: string }[];
    const buckets = new Map<number, [number, number][]>();
    for (const row of rows) {
      const values = buckets.get(row.bucket) ?? [];
      values.push(...(JSON.parse(row.distribution) as [number, number][]));
      buckets.set(row.bucket, values);
    }
    return [...buckets].map(([bucket, values]) => ({ start: query.startTime + bucket * query.period, values }));
  }

  async list(scope: Scope, query: MetricListQuery): Promise<(MetricIdentity & { key: number })[]> {
    const wanted = query.dimensions ?? [];
    const out: (MetricIdentity & { key: number })[] = [];
    let after = query.after ?? 0;
    while (out.length < query.limit) {
      const rows = this.#list.all({
        account: scope.accountId, region: scope.region, after, namespace: query.namespace ?? null, name: query.metricName ?? null,
        since: query.activeSince ?? Number.MIN_SAFE_INTEGER, limit: 500,
      }) as SeriesRow[];
      if (rows.length === 0) break;
      for (const row of rows) {
        after = row.id;
        const metric = identity(row);
        const matches = wanted.every((w) => metric.dimensions.some((d) => d.name === w.name && (w.value === undefined || d.value === w.value)));
        if (matches) out.push(metric);
        if (out.length === query.limit) break;
      }
    }
    return out;
  }
}
