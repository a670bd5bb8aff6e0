/**
 * @module
 * GetMetricData: MetricStat queries and metric math expressions over one time range. Every
 * expression is checked before any data is read (a bad one fails the call with ValidationError,
 * `Error in expression 'e1': Invalid syntax`); queries with ReturnData false still feed expressions.
 * An expression that yields an array of series answers one result per series, under the
 * expression's Id, labelled `<expression label> <series label>` (just the series label when the
 * expression has none), as the console's legend does. Results come newest first by default and
 * page by MaxDatapoints and NextToken across all of them.
 */
import type { GetMetricDataCommandInput, GetMetricDataCommandOutput, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Handler, Out } from '../service.js';
import {
  checkConstraints, enumConstraint, InvalidNextToken, InvalidParameterCombinationException, InvalidParameterValueException,
} from './errors.js';
import { sortedPoints, type MathValue } from './metric-math/values.js';
import { checkPeriod, checkWindow } from './query-checks.js';
import { compileMetricQueries, evaluateMetricQueries, metricLabel } from './query-series.js';
import { isKnownStatistic } from './statistics.js';

const MAX_GET_METRIC_DATA_POINTS = 100_800;

type DataCursor = { q: number; i: number };

interface ResultSeries {
  readonly id: string;
  readonly label: string;
  readonly points: [number, number][];
}

function checkQueries(queries: readonly MetricDataQuery[]): void {
  const ids = new Set<string>();
  for (const q of queries) {
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id ?? '')) throw new InvalidParameterValueException(`The value ${q.Id} for parameter MetricDataQueries.member.Id is invalid. Ids must start with a lowercase letter and contain only letters, digits and underscores.`);
    if (ids.has(q.Id!)) throw new InvalidParameterValueException(`The value ${q.Id} for parameter MetricDataQueries.member.Id is used more than once.`);
    ids.add(q.Id!);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw new InvalidParameterCombinationException('Exactly one of MetricStat and Expression must be specified for each MetricDataQuery.');
    }
    if (q.MetricStat) {
      checkPeriod(q.MetricStat.Period, 'MetricStat.Period');
      if (!isKnownStatistic(q.MetricStat.Stat ?? '')) throw new InvalidParameterValueException(`The value ${q.MetricStat.Stat} for parameter MetricStat.Stat is not supported.`);
    }
  }
}

function resultsOf(query: MetricDataQuery, value: MathValue | undefined): ResultSeries[] {
  const id = query.Id ?? '';
  if (value?.type === 'series') {
    return [{ id, label: query.MetricStat ? metricLabel(query) : (query.Label ?? id), points: sortedPoints(value.series) }];
  }
  if (value?.type === 'array') {
    return value.series.map((s) => ({ id, label: query.Label ? `${query.Label} ${s.label}` : s.label, points: sortedPoints(s) }));
  }
  return [];
}

/** GetMetricData. */
export const getMetricData: Handler<GetMetricDataCommandInput, Out<GetMetricDataCommandOutput>> = async (input, ctx) => {
  const queries = input.MetricDataQueries ?? [];
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  checkConstraints(
    queries.length > 500 ? `Value at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to 500` : undefined,
    enumConstraint('scanBy', input.ScanBy, ['TimestampDescending', 'TimestampAscending']),
  );
  checkQueries(queries);
  const window = checkWindow(input.StartTime, input.EndTime);
  const compiled = compileMetricQueries(queries);
  const params = { q: queries, s: input.StartTime?.getTime(), e: input.EndTime?.getTime(), scanBy };
  let cursor: DataCursor = { q: 0, i: 0 };
  if (input.NextToken !== undefined) {
    const decoded = decodeToken<DataCursor>(input.NextToken, params);
    if (!decoded) throw new InvalidNextToken();
    cursor = decoded;
  }
  const values = await evaluateMetricQueries(ctx.tx, ctx.scope, queries, compiled, window);
  const all = queries.filter((q) => q.ReturnData !== false).flatMap((q) => resultsOf(q, values.get(q.Id ?? '')));
  let budget = input.MaxDatapoints ?? MAX_GET_METRIC_DATA_POINTS;
  const results: MetricDataResult[] = [];
  let next: DataCursor | undefined;
  for (let ri = cursor.q; ri < all.length; ri++) {
    const result = all[ri]!;
    const points = scanBy === 'TimestampDescending' ? result.points.slice().reverse() : result.points;
    const from = ri === cursor.q ? cursor.i : 0;
    const page = points.slice(from, from + budget);
    budget -= page.length;
    const partial = from + page.length < points.length;
    results.push({
      Id: result.id,
      Label: result.label,
      Timestamps: page.map(([t]) => new Date(t)),
      Values: page.map(([, v]) => v),
      StatusCode: partial ? 'PartialData' : 'Complete',
    });
    if (partial) {
      next = { q: ri, i: from + page.length };
      break;
    }
  }
  return { MetricDataResults: results, Messages: [], NextToken: next ? encodeToken(next, params) : undefined };
};
