import { describe, expect, it } from 'vitest';
import { MetricMathError } from '../errors.js';
import { compileQueries, evaluateQueries, type MathQuery } from './queries.js';
import { parseExpression } from './parser.js';
import { makeSeries, sortedPoints, type MathValue, type Series } from './values.js';

const M = 60_000;
const T0 = Date.UTC(2026, 10, 23, 10, 0); // a Monday
const window = { start: T0, end: T0 + 5 * M, period: 60 };

/** A 60-second series from values per minute of the window; null is a missing value. */
function series(label: string, values: (number | null)[]): Series {
  return makeSeries(label, 60, values.flatMap((v, i) => (v === null ? [] : [[T0 + i * M, v] as const])));
}

/** A series as values per minute of the window (null where missing). */
function minutes(s: Series): (number | null)[] {
  return Array.from({ length: 5 }, (_, i) => s.points.get(T0 + i * M) ?? null);
}

const metrics = [
  { id: 'm1', series: series('Errors', [30, 20, 0, 0, null]) },
  { id: 'm2', series: series('Requests', [20, null, 20, null, 40]) },
  { id: 'errors_a', series: series('A', [1, 2, 3, null, null]) },
];

function run(expression: string, extra: MathQuery[] = []): MathValue {
  const queries: MathQuery[] = [...metrics.map((m) => ({ id: m.id })), ...extra, { id: 'e1', expression }];
  return evaluateQueries(compileQueries(queries), metrics, window).get('e1')!;
}

function one(expression: string): (number | null)[] {
  const v = run(expression);
  if (v.type !== 'series') throw new Error(`${expression} gave ${v.type}`);
  return minutes(v.series);
}

function many(expression: string): (number | null)[][] {
  const v = run(expression);
  if (v.type !== 'array') throw new Error(`${expression} gave ${v.type}`);
  return v.series.map(minutes);
}

describe('metric math golden vectors', () => {
  it.each([
    // Arithmetic: series with series on the union of timestamps, a missing value as 0; x/0 dropped.
    ['m1 + m2', [50, 20, 20, 0, 40]],
    ['m1 - m2 * 2', [-10, 20, -40, 0, -80]],
    ['m1 / m2', [1.5, null, 0, null, 0]],
    ['m1 / m2 * 100', [150, null, 0, null, 0]],
    ['2 ^ 3 * m1 / 10', [24, 16, 0, 0, null]],
    ['-m1 + 1', [-29, -19, 1, 1, null]],
    ['-2 ^ 2 + m1', [26, 16, -4, -4, null]],
    ['(m1 + 10) / 2', [20, 15, 5, 5, null]],
    ['m1 - AVG(m1)', [17.5, 7.5, -12.5, -12.5, null]],
    // Comparison and logical operators, the guide's own table.
    ['m1 < m2', [0, 0, 1, 0, 1]],
    ['m1 >= 30', [1, 0, 0, 0, null]],
    ['m1 > 15 AND m2 > 15', [1, 0, 0, 0, 0]],
    ['m1 > 25 || m2 > 30', [1, 0, 0, 0, 1]],
    ['m1 == 0 && m1 != 1', [0, 0, 1, 1, null]],
    // IF.
    ['IF(m1 > 10, 1, 0)', [1, 1, 0, 0, null]],
    ['IF(m1 > 10, m1)', [30, 20, null, null, null]],
    ['IF(m1, m2, 5)', [20, 0, 5, 5, null]],
    ['IF(m2 > 30, m1, m2)', [20, null, 20, null, 0]],
    ['IF(1, m1, m2)', [30, 20, 0, 0, null]],
    ['IF(0, m1)', [null, null, null, null, null]],
    // Per-point functions.
    ['ABS(m1 - m2)', [10, 20, 20, 0, 40]],
    ['CEIL(m1 / 7)', [5, 3, 0, 0, null]],
    ['FLOOR(m1 / 7)', [4, 2, 0, 0, null]],
    ['LOG10(m2)', [Math.log10(20), null, Math.log10(20), null, Math.log10(40)]],
    // FILL.
    ['FILL(m2, 0)', [20, 0, 20, 0, 40]],
    ['FILL(m2, m1)', [20, 20, 20, 0, 40]],
    ['FILL(m2, REPEAT)', [20, 20, 20, 20, 40]],
    ['FILL(m2, LINEAR)', [20, 20, 20, 30, 40]],
    ['FILL(m1, LINEAR)', [30, 20, 0, 0, null]],
    ['FILL(m2, MIN(m1))', [20, 0, 20, 0, 40]],
    // Change over time.
    ['RATE(m2)', [null, null, 0, null, 20 / 120]],
    ['DIFF(m1)', [null, -10, -20, 0, null]],
    ['DIFF_TIME(m2)', [null, null, 120, null, 120]],
    ['RUNNING_SUM(m1)', [30, 50, 50, 50, null]],
    // Across arrays.
    ['SUM(METRICS())', [51, 22, 23, 0, 40]],
    ['AVG([m1, m2])', [25, 10, 10, 0, 20]],
    ['MAX([m1, m2])', [30, 20, 20, 0, 40]],
    ['MIN([m1, m2])', [20, 20, 0, 0, 40]],
    ['STDDEV([m1, m2])', [5, 0, 10, 0, 0]],
    ['DATAPOINT_COUNT(METRICS())', [3, 2, 3, 1, 1]],
    ['SUM(METRICS("errors"))', [1, 2, 3, null, null]],
    ['FIRST(SORT(METRICS(), MAX, DESC))', [20, null, 20, null, 40]],
    ['LAST(SORT(METRICS(), SUM, DESC))', [1, 2, 3, null, null]],
    ['m1 / METRIC_COUNT(METRICS())', [10, 20 / 3, 0, 0, null]],
    ['SUM(m1) / DATAPOINT_COUNT(m1) + 0 * m1', [12.5, 12.5, 12.5, 12.5, null]],
    ['STDDEV(m1) + 0 * m1', [Math.sqrt(168.75), Math.sqrt(168.75), Math.sqrt(168.75), Math.sqrt(168.75), null]],
    // Scalars turned into series, periods and calendar functions.
    ['TIME_SERIES(7)', [7, 7, 7, 7, 7]],
    ['TIME_SERIES(MAX(m1)) - m1', [0, 10, 30, 30, 30]],
    ['m1 / PERIOD(m1)', [0.5, 1 / 3, 0, 0, null]],
    ['HOUR(m1) * 100 + MINUTE(m1)', [1000, 1001, 1002, 1003, 1004]],
    ['DAY(m1)', [1, 1, 1, 1, 1]],
    // DAY is non-sparse: a true condition where m1 has no value gives 0, as IF documents.
    ['IF(DAY(m1) < 6, m1)', [30, 20, 0, 0, 0]],
  ] as [string, (number | null)[]][])('%s', (expression, expected) => {
    const got = one(expression);
    expect(got.map((v) => (v === null ? null : Number(v.toFixed(9))))).toEqual(expected.map((v) => (v === null ? null : Number(v.toFixed(9)))));
  });

  it('keeps arrays as arrays, series by series', () => {
    expect(many('METRICS() * 2')).toEqual([[60, 40, 0, 0, null], [40, null, 40, null, 80], [2, 4, 6, null, null]]);
    expect(many('FILL(METRICS("m"), 0)')).toEqual([[30, 20, 0, 0, 0], [20, 0, 20, 0, 40]]);
    expect(many('SUM(-[m1, m2]) + [m1]')).toEqual([[-20, 0, -20, 0, -40]]);
    expect(many('SLICE(SORT(METRICS(), AVG, ASC), 1)').length).toBe(2);
    expect(many('SORT(METRICS(), AVG, DESC, 1)')).toEqual([[20, null, 20, null, 40]]);
    expect(many('REMOVE_EMPTY([m1, IF(0, m1)])')).toEqual([[30, 20, 0, 0, null]]);
    expect((run('METRICS()') as { series: readonly Series[] }).series.map((s) => s.label)).toEqual(['Errors', 'Requests', 'A']);
  });

  it('evaluates expressions over other expressions, hidden or not', () => {
    expect(minutes((run('e0 * 2', [{ id: 'e0', expression: 'm1 + 1' }]) as { series: Series }).series)).toEqual([62, 42, 2, 2, null]);
  });

  it('gives series sorted oldest first', () => {
    expect(sortedPoints((run('m2 + 0') as { series: Series }).series).map(([t]) => (t - T0) / M)).toEqual([0, 2, 4]);
  });
});

describe('metric math errors', () => {
  it.each([
    ['m1 +', 'Invalid syntax'],
    ['(m1 + m2', 'Invalid syntax'],
    ['m1 m2', 'Invalid syntax'],
    ['', 'Invalid syntax'],
    ['m1 $ 2', 'Invalid syntax'],
    ['SUM(m1,)', 'Invalid syntax'],
    ['1 < m1 < 3', 'Invalid syntax'],
    ['METRICS("x)', 'Invalid syntax'],
    ['AND m1', 'Invalid syntax'],
    ['FOO(m1)', "Function 'FOO' not found"],
    ['sum(m1)', 'Invalid syntax'],
    ['m1 + m9', 'Unrecognized identifier m9'],
    ['AVG(m1)', 'The final result of an expression must be a time series or an array of time series'],
    ['ABS(m1, m2)', 'Invalid number of arguments for function ABS'],
    ['FILL(m1, UP)', 'Invalid arguments for function FILL'],
    ['SORT(METRICS(), MEDIAN, ASC)', 'Invalid arguments for function SORT'],
    ['FIRST(m1)', 'Invalid arguments for function FIRST'],
    ['METRICS() + METRICS()', 'Invalid operands'],
  ])('%j → Error in expression \'e1\': %s', (expression, reason) => {
    let error: unknown;
    try {
      run(expression);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetricMathError);
    expect((error as MetricMathError).message).toBe(`Error in expression 'e1': ${reason}`);
    expect((error as MetricMathError).code).toBe('ValidationException');
  });

  it('rejects cycles before reading anything', () => {
    expect(() => compileQueries([{ id: 'a', expression: 'b + 1' }, { id: 'b', expression: 'a * 2' }])).toThrow("Error in expression 'b': Circular dependency on a");
    expect(() => compileQueries([{ id: 'a', expression: 'a + 1' }])).toThrow("Error in expression 'a': Circular dependency on a");
  });

  it('parses numbers, strings and precedence', () => {
    expect(parseExpression('1.5e2 + .5 * 2')).toEqual({
      kind: 'binary', op: '+', left: { kind: 'number', value: 150 }, right: { kind: 'binary', op: '*', left: { kind: 'number', value: 0.5 }, right: { kind: 'number', value: 2 } },
    });
    expect(parseExpression('SUM([METRICS(\u201c4xx\u201d), METRICS("5xx")])')).toMatchObject({ kind: 'call', name: 'SUM', args: [{ kind: 'array', items: [{ args: [{ value: '4xx' }] }, { args: [{ value: '5xx' }] }] }] });
  });
});
