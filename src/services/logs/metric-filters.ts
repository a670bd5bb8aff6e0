/**
 * @module
 * Metric filters: PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and TestMetricFilter.
 * A filter is one document per log group and name (`<group>:<filter>`); its pattern is compiled
 * once per server through a bounded cache.
 */
import type {
  DeleteMetricFilterCommandInput, DeleteMetricFilterCommandOutput, DescribeMetricFiltersCommandInput, DescribeMetricFiltersCommandOutput,
  MetricFilter, MetricTransformation, PutMetricFilterCommandInput, PutMetricFilterCommandOutput, StandardUnit,
  TestMetricFilterCommandInput, TestMetricFilterCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import { InvalidParameterException, LimitExceededException, ResourceNotFoundException } from './errors.js';
import { compileFilterPattern, FilterPatternError, type FilterPattern } from './filter-pattern/filter-pattern.js';
import { getGroup, saveGroup } from './log-groups.js';
import type { ActiveFilter } from './metric-filter-points.js';
import { checkConstraints, filterNameConstraint, groupNameConstraint, stringConstraint } from './names.js';

/** The document kind of metric filters. */
export const METRIC_FILTER_KIND = 'logs.metric-filter';

const MAX_FILTERS_PER_GROUP = 100;
const METRIC_NAME = { re: /^[^:*$]*$/, text: '[^:*$]*' };
const UNITS: readonly StandardUnit[] = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second',
  'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];

/** A metric filter as stored. */
export interface MetricFilterDocument {
  readonly filterName: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  readonly metricTransformations: MetricTransformation[];
  readonly creationTime: number;
  readonly applyOnTransformedLogs?: boolean;
}

/** Compiled patterns by text, bounded; one per server. */
export class PatternCache {
  readonly #patterns = new Map<string, FilterPattern>();

  constructor(private readonly capacity = 1000) {}

  /** The compiled pattern; throws FilterPatternError. */
  get(text: string): FilterPattern {
    let pattern = this.#patterns.get(text);
    if (!pattern) {
      pattern = compileFilterPattern(text);
      if (this.#patterns.size >= this.capacity) this.#patterns.delete(this.#patterns.keys().next().value!);
      this.#patterns.set(text, pattern);
    }
    return pattern;
  }

  /** Like `get`, answering a bad pattern with InvalidParameterException in AWS's words. */
  require(text: string, invalidMessage: string): FilterPattern {
    try {
      return this.get(text);
    } catch (error) {
      if (error instanceof FilterPatternError) throw new InvalidParameterException(error.awsMessage ?? invalidMessage);
      throw error;
    }
  }
}

/** The metric filters of a log group, ready to apply to its events. */
export async function activeFilters(tx: Tx, scope: Scope, group: string, patterns: PatternCache): Promise<ActiveFilter[]> {
  const entries = await tx.documents.list<MetricFilterDocument>(scope, METRIC_FILTER_KIND, { prefix: `${group}:` });
  return entries.flatMap(({ doc }) => doc.metricTransformations.map((transformation) => ({ pattern: patterns.get(doc.filterPattern), transformation })));
}

function checkTransformation(t: MetricTransformation, pattern: FilterPattern): void {
  const i = 'metricTransformations.1.member';
  const dimensions = Object.entries(t.dimensions ?? {});
  checkConstraints(
    stringConstraint(`${i}.metricName`, t.metricName ?? '', 1, 255, METRIC_NAME),
    stringConstraint(`${i}.metricNamespace`, t.metricNamespace ?? '', 1, 255, METRIC_NAME),
    stringConstraint(`${i}.metricValue`, t.metricValue ?? '', 1, 100),
    t.unit !== undefined && !UNITS.includes(t.unit)
      ? `Value '${t.unit}' at '${i}.unit' failed to satisfy constraint: Member must satisfy enum value set: [${UNITS.join(', ')}]` : undefined,
  );
  const value = t.metricValue ?? '';
  if (value.startsWith('$') ? !pattern.canReference(value) : !Number.isFinite(Number(value))) {
    throw new InvalidParameterException(`Invalid metric value: ${value}`);
  }
  if (dimensions.length === 0) return;
  if (pattern.kind === 'terms') throw new InvalidParameterException('The specified filter pattern does not support dimensions');
  if (dimensions.length > 3) throw new InvalidParameterException('A metric transformation can have at most 3 dimensions.');
  if (t.defaultValue !== undefined) throw new InvalidParameterException('A metric transformation with dimensions cannot have a default value.');
  for (const [name, reference] of dimensions) {
    if (!pattern.canReference(reference)) throw new InvalidParameterException(`Invalid dimension value for ${name}: ${reference}`);
  }
}

/** PutMetricFilter: creates or replaces a filter on a log group. */
export function putMetricFilter(patterns: PatternCache): Handler<PutMetricFilterCommandInput, Out<PutMetricFilterCommandOutput>> {
  return async (input, ctx) => {
    const groupName = input.logGroupName ?? '';
    const filterName = input.filterName ?? '';
    const transformations = input.metricTransformations ?? [];
    checkConstraints(
      groupNameConstraint(groupName),
      filterNameConstraint(filterName),
      stringConstraint('filterPattern', input.filterPattern ?? '', 0, 1024),
      transformations.length !== 1
        ? `Value '${JSON.stringify(transformations)}' at 'metricTransformations' failed to satisfy constraint: Member must have length ${transformations.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 1'}` : undefined,
    );
    const pattern = patterns.require(input.filterPattern ?? '', 'Invalid metric filter pattern');
    for (const t of transformations) checkTransformation(t, pattern);
    const group = await getGroup(ctx.tx, ctx.scope, groupName);
    const id = `${groupName}:${filterName}`;
    const existing = await ctx.tx.documents.get<MetricFilterDocument>(ctx.scope, METRIC_FILTER_KIND, id);
    if (!existing && group.metricFilterCount >= MAX_FILTERS_PER_GROUP) throw new LimitExceededException('Resource limit exceeded.');
    const doc: MetricFilterDocument = {
      filterName,
      logGroupName: groupName,
      filterPattern: input.filterPattern ?? '',
      metricTransformations: transformations.map((t) => ({ ...t, unit: t.unit })),
      creationTime: existing?.creationTime ?? ctx.now,
      applyOnTransformedLogs: input.applyOnTransformedLogs,
    };
    await ctx.tx.documents.put(ctx.scope, METRIC_FILTER_KIND, id, doc);
    if (!existing) await saveGroup(ctx.tx, ctx.scope, { ...group, metricFilterCount: group.metricFilterCount + 1 });
    ctx.audit.resources.push({ type: 'AWS::Logs::MetricFilter', name: filterName });
    return {};
  };
}

/** DeleteMetricFilter. */
export const deleteMetricFilter: Handler<DeleteMetricFilterCommandInput, Out<DeleteMetricFilterCommandOutput>> = async (input, ctx) => {
  const groupName = input.logGroupName ?? '';
  const filterName = input.filterName ?? '';
  checkConstraints(groupNameConstraint(groupName), filterNameConstraint(filterName));
  const group = await getGroup(ctx.tx, ctx.scope, groupName);
  if (!(await ctx.tx.documents.delete(ctx.scope, METRIC_FILTER_KIND, `${groupName}:${filterName}`))) {
    throw new ResourceNotFoundException('The specified metric filter does not exist.');
  }
  await saveGroup(ctx.tx, ctx.scope, { ...group, metricFilterCount: Math.max(0, group.metricFilterCount - 1) });
  ctx.audit.resources.push({ type: 'AWS::Logs::MetricFilter', name: filterName });
  return {};
};

function toMetricFilter(doc: MetricFilterDocument): MetricFilter {
  return {
    filterName: doc.filterName,
    filterPattern: doc.filterPattern,
    metricTransformations: doc.metricTransformations,
    creationTime: doc.creationTime,
    logGroupName: doc.logGroupName,
    applyOnTransformedLogs: doc.applyOnTransformedLogs ?? false,
  };
}

/** DescribeMetricFilters: of a log group (with a name prefix), or of every group; optionally by metric. */
export const describeMetricFilters: Handler<DescribeMetricFiltersCommandInput, Out<DescribeMetricFiltersCommandOutput>> = async (input, ctx) => {
  const limit = input.limit ?? 50;
  checkConstraints(
    input.logGroupName !== undefined ? groupNameConstraint(input.logGroupName) : undefined,
    input.filterNamePrefix !== undefined ? filterNameConstraint(input.filterNamePrefix, 'filterNamePrefix') : undefined,
    limit < 1 || limit > 50 ? `Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}` : undefined,
  );
  if (input.filterNamePrefix !== undefined && input.logGroupName === undefined) {
    throw new InvalidParameterException('If you specify filterNamePrefix, you must also specify logGroupName.');
  }
  if ((input.metricName === undefined) !== (input.metricNamespace === undefined)) {
    throw new InvalidParameterException('metricName and metricNamespace must be specified together.');
  }
  if (input.logGroupName !== undefined) await getGroup(ctx.tx, ctx.scope, input.logGroupName);
  const params = { g: input.logGroupName, p: input.filterNamePrefix, n: input.metricName, ns: input.metricNamespace };
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    after = decodeToken<string>(input.nextToken, params);
    if (after === undefined) throw new InvalidParameterException('The specified nextToken is invalid.');
  }
  const prefix = input.logGroupName !== undefined ? `${input.logGroupName}:${input.filterNamePrefix ?? ''}` : undefined;
  const all = (await ctx.tx.documents.list<MetricFilterDocument>(ctx.scope, METRIC_FILTER_KIND, { prefix, after }))
    .filter(({ doc }) => input.metricName === undefined
      || doc.metricTransformations.some((t) => t.metricName === input.metricName && t.metricNamespace === input.metricNamespace));
  const page = all.slice(0, limit);
  return {
    metricFilters: page.map(({ doc }) => toMetricFilter(doc)),
    nextToken: all.length > limit ? encodeToken(page[page.length - 1]!.id, params) : undefined,
  };
};

/** TestMetricFilter: which of the sample messages the pattern matches, and what it extracts. */
export function testMetricFilter(patterns: PatternCache): Handler<TestMetricFilterCommandInput, Out<TestMetricFilterCommandOutput>> {
  return async (input) => {
    const messages = input.logEventMessages ?? [];
    checkConstraints(
      stringConstraint('filterPattern', input.filterPattern ?? '', 0, 1024),
      messages.length < 1 || messages.length > 50
        ? `Value '${JSON.stringify(messages)}' at 'logEventMessages' failed to satisfy constraint: Member must have length ${messages.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}` : undefined,
    );
    const pattern = patterns.require(input.filterPattern ?? '', 'Invalid metric filter pattern');
    const matches = messages.flatMap((message, i) => {
      const match = pattern.match(message);
      return match ? [{ eventNumber: i + 1, eventMessage: message, extractedValues: { ...match.extractedValues } }] : [];
    });
    return { matches };
  };
}
