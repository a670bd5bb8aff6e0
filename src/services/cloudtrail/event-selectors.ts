/**
 * @module
 * A trail's event selectors, basic and advanced: CloudTrail's rules for them, and the stored,
 * normalised form GetEventSelectors returns. Pure.
 *
 * Basic selectors: 1 to 5; ReadWriteType ReadOnly|WriteOnly|All; DataResources of S3 objects,
 * Lambda functions and DynamoDB tables, at most 250 values in all (values that mean "every
 * resource" do not count); ExcludeManagementEventSources of kms and rdsdata only.
 * Advanced selectors (CloudTrail API reference, AdvancedFieldSelector): `eventCategory` Equals
 * Management | Data | NetworkActivity is required; each category allows its own fields; readOnly,
 * eventCategory and resources.type take Equals only; at most 500 values in all.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector } from '@aws-sdk/client-cloudtrail';
import { InvalidEventSelectorsException } from './errors.js';

/** The selectors a trail stores: exactly one kind, or neither (the default). */
export interface TrailSelectors {
  readonly eventSelectors?: readonly EventSelector[];
  readonly advancedEventSelectors?: readonly AdvancedEventSelector[];
}

/** What a trail without custom selectors logs: every management event, read and write. */
export const DEFAULT_EVENT_SELECTORS: readonly EventSelector[] = [
  { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
];

/** The operators of a field selector, in the model's order. */
export const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

const MAX_SELECTORS = 5;
const MAX_DATA_VALUES = 250;
const MAX_ADVANCED_VALUES = 500;
const READ_WRITE = ['ReadOnly', 'WriteOnly', 'All'];
const DATA_TYPES = ['AWS::DynamoDB::Table', 'AWS::Lambda::Function', 'AWS::S3::Object'];
const EXCLUDABLE_SOURCES = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];
const ALL_VALUES: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Object': ['arn:aws:s3', 'arn:aws:s3:::'],
  'AWS::Lambda::Function': ['arn:aws:lambda'],
  'AWS::DynamoDB::Table': ['arn:aws:dynamodb'],
};
const SPECIFIC_VALUE: Readonly<Record<string, RegExp>> = {
  'AWS::S3::Object': /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.*$/,
  'AWS::Lambda::Function': /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/,
  'AWS::DynamoDB::Table': /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[\w.-]{3,255}$/,
};

/** Whether a DataResources value selects every resource of its type. */
export function selectsAllResources(type: string, value: string): boolean {
  return ALL_VALUES[type]?.includes(value) ?? false;
}

function invalid(message: string): never {
  throw new InvalidEventSelectorsException(message);
}

function checkDataResource(resource: DataResource): { counted: number } {
  const type = resource.Type ?? '';
  if (!DATA_TYPES.includes(type)) invalid(`Value ${type} for DataResources.Type is invalid. Valid values are: ${DATA_TYPES.join(', ')}`);
  let counted = 0;
  for (const value of resource.Values ?? []) {
    if (selectsAllResources(type, value)) continue;
    if (!SPECIFIC_VALUE[type]!.test(value)) invalid(`Value ${value} for DataResources.Values is invalid.`);
    counted++;
  }
  return { counted };
}

/** Checks basic selectors and returns them with CloudTrail's defaults filled in. */
export function normaliseEventSelectors(selectors: readonly EventSelector[]): EventSelector[] {
  if (selectors.length < 1 || selectors.length > MAX_SELECTORS) invalid('Specify a valid number of event selectors (1 to 5) for a trail.');
  let dataValues = 0;
  const out = selectors.map((selector) => {
    const readWrite = selector.ReadWriteType ?? 'All';
    if (!READ_WRITE.includes(readWrite)) invalid(`Value ${readWrite} for ReadWriteType is invalid.`);
    for (const source of selector.ExcludeManagementEventSources ?? []) {
      if (!EXCLUDABLE_SOURCES.includes(source)) invalid(`Value ${source} for ExcludeManagementEventSources is invalid.`);
    }
    for (const resource of selector.DataResources ?? []) dataValues += checkDataResource(resource).counted;
    return {
      ReadWriteType: readWrite,
      IncludeManagementEvents: selector.IncludeManagementEvents ?? true,
      DataResources: (selector.DataResources ?? []).map((r) => ({ Type: r.Type, Values: [...(r.Values ?? [])] })),
      ExcludeManagementEventSources: [...(selector.ExcludeManagementEventSources ?? [])],
    } as EventSelector;
  });
  if (dataValues > MAX_DATA_VALUES) invalid('Specify a valid number of DataResources.Values (0 to 250) for all your selectors');
  return out;
}

/** The fields each event category allows in an advanced selector on a trail. */
const FIELDS_BY_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  Management: ['eventCategory', 'eventSource', 'readOnly'],
  Data: ['eventCategory', 'eventName', 'eventSource', 'eventType', 'readOnly', 'resources.type', 'resources.ARN', 'sessionCredentialFromConsole', 'userIdentity.arn'],
  NetworkActivity: ['eventCategory', 'eventSource', 'eventName', 'errorCode', 'vpcEndpointId', 'userIdentity.arn'],
};
const REQUIRED_BY_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  Management: [],
  Data: ['resources.type'],
  NetworkActivity: ['eventSource'],
};
const EQUALS_ONLY = ['eventCategory', 'readOnly', 'resources.type'];
const FIELD_PATTERN = /^[\w|.]+$/;
const RESOURCE_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

function operatorsOf(field: AdvancedFieldSelector): [typeof OPERATORS[number], string[]][] {
  return OPERATORS.flatMap((op) => (field[op] === undefined ? [] : [[op, field[op]!] as [typeof OPERATORS[number], string[]]]));
}

function checkFieldValues(field: AdvancedFieldSelector, category: string): number {
  const name = field.Field ?? '';
  const operators = operatorsOf(field);
  if (operators.length === 0) invalid(`Field ${name} must specify at least one operator.`);
  let count = 0;
  for (const [op, values] of operators) {
    if (values.length === 0) invalid(`Operator ${op} of field ${name} must have at least one value.`);
    if (EQUALS_ONLY.includes(name) && op !== 'Equals') invalid(`Only the Equals operator is supported for field ${name}.`);
    for (const value of values) {
      if (value.length < 1 || value.length > 2048) invalid(`Value ${value} for field ${name} must be between 1 and 2048 characters long.`);
      const bad =
        (name === 'readOnly' && value !== 'true' && value !== 'false') ||
        (name === 'resources.type' && !RESOURCE_TYPE.test(value)) ||
        (name === 'sessionCredentialFromConsole' && value !== 'true' && value !== 'false') ||
        (name === 'resources.ARN' && (op === 'Equals' || op === 'NotEquals') && !value.startsWith('arn:')) ||
        (name === 'eventSource' && category === 'Management' && (op !== 'NotEquals' || !EXCLUDABLE_SOURCES.includes(value)));
      if (bad) invalid(`Value ${value} for field ${name} with operator ${op} is invalid.`);
      count++;
    }
  }
  if (name === 'resources.type' && field.Equals!.length !== 1) invalid('The resources.type field must have exactly one value.');
  return count;
}

/** Checks advanced selectors as CloudTrail does for trails and returns them as stored. */
export function normaliseAdvancedEventSelectors(selectors: readonly AdvancedEventSelector[]): AdvancedEventSelector[] {
  if (selectors.length < 1) invalid('Specify at least one advanced event selector.');
  let values = 0;
  const out = selectors.map((selector) => {
    if (selector.Name !== undefined && selector.Name.length > 1000) invalid('Advanced event selector name must be at most 1000 characters long.');
    const fields = selector.FieldSelectors ?? [];
    if (fields.length === 0) invalid('Advanced event selector must have at least one field selector.');
    const seen = new Set<string>();
    for (const field of fields) {
      const name = field.Field ?? '';
      if (name.length < 1 || name.length > 1000 || !FIELD_PATTERN.test(name)) invalid(`Field ${name} is invalid.`);
      if (seen.has(name)) invalid(`Field ${name} can appear only once in an advanced event selector.`);
      seen.add(name);
    }
    const categoryField = fields.find((f) => f.Field === 'eventCategory');
    const category = categoryField?.Equals?.[0];
    if (!categoryField || categoryField.Equals?.length !== 1 || !category || !(category in FIELDS_BY_CATEGORY)) {
      invalid('Advanced event selector must have an eventCategory field with Equals one of Management, Data, NetworkActivity.');
    }
    for (const field of fields) {
      if (!FIELDS_BY_CATEGORY[category]!.includes(field.Field!)) invalid(`Field ${field.Field} is not supported for eventCategory ${category}.`);
      values += checkFieldValues(field, category);
    }
    for (const required of REQUIRED_BY_CATEGORY[category]!) {
      if (!seen.has(required)) invalid(`Field ${required} is required for eventCategory ${category}.`);
    }
    const stored: AdvancedEventSelector = {
      ...(selector.Name !== undefined ? { Name: selector.Name } : {}),
      FieldSelectors: fields.map((f) => ({ Field: f.Field, ...Object.fromEntries(operatorsOf(f).map(([op, v]) => [op, [...v]])) })),
    };
    return stored;
  });
  if (values > MAX_ADVANCED_VALUES) invalid('Specify up to 500 values for all conditions in all advanced event selectors for a trail.');
  return out;
}

/** Checks a PutEventSelectors request: exactly one kind of selector, each valid. */
export function checkSelectorsInput(input: { EventSelectors?: EventSelector[]; AdvancedEventSelectors?: AdvancedEventSelector[] }): TrailSelectors {
  const basic = input.EventSelectors;
  const advanced = input.AdvancedEventSelectors;
  if (basic !== undefined && advanced !== undefined) invalid('You can use either EventSelectors or AdvancedEventSelectors, but not both.');
  if (basic !== undefined) return { eventSelectors: normaliseEventSelectors(basic) };
  if (advanced !== undefined) return { advancedEventSelectors: normaliseAdvancedEventSelectors(advanced) };
  return invalid('Specify either EventSelectors or AdvancedEventSelectors.');
}
