import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { checkSelectorsInput, normaliseAdvancedEventSelectors, normaliseEventSelectors } from './event-selectors.js';

const fails = (fn: () => unknown, message: string) => {
  expect(fn).toThrow(expect.objectContaining({ code: 'InvalidEventSelectorsException', message }));
};

describe('basic event selectors', () => {
  it('fills in CloudTrail defaults', () => {
    expect(normaliseEventSelectors([{}])).toEqual([
      { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
    ]);
  });

  it('accepts S3, Lambda and DynamoDB data resources, specific and all', () => {
    const selectors = normaliseEventSelectors([{
      ReadWriteType: 'WriteOnly',
      DataResources: [
        { Type: 'AWS::S3::Object', Values: ['arn:aws:s3', 'arn:aws:s3:::', 'arn:aws:s3:::bucket/', 'arn:aws:s3:::bucket/prefix/x'] },
        { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda', 'arn:aws:lambda:us-east-1:123456789012:function:hello'] },
        { Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb:us-east-1:123456789012:table/Music'] },
      ],
      ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'],
    }]);
    expect(selectors[0]!.DataResources).toHaveLength(3);
  });

  it.each([
    ['arn:aws:s3:::bucket', 'Value arn:aws:s3:::bucket for DataResources.Values is invalid.'],
    ['arn:aws:s3:::*/*', 'Value arn:aws:s3:::*/* for DataResources.Values is invalid.'],
    ['arn:aws:s3:::/', 'Value arn:aws:s3:::/ for DataResources.Values is invalid.'],
    ['bucket/*', 'Value bucket/* for DataResources.Values is invalid.'],
  ])('rejects the S3 value %j', (value, message) => {
    fails(() => normaliseEventSelectors([{ DataResources: [{ Type: 'AWS::S3::Object', Values: [value] }] }]), message);
  });

  it('rejects bad types, read/write types, sources and counts', () => {
    fails(() => normaliseEventSelectors([{ DataResources: [{ Type: 'AWS::S3::Bucket', Values: [] }] }]),
      'Value AWS::S3::Bucket for DataResources.Type is invalid. Valid values are: AWS::DynamoDB::Table, AWS::Lambda::Function, AWS::S3::Object');
    fails(() => normaliseEventSelectors([{ ReadWriteType: 'read-only' as never }]), 'Value read-only for ReadWriteType is invalid.');
    fails(() => normaliseEventSelectors([{ ExcludeManagementEventSources: ['s3.amazonaws.com'] }]),
      'Value s3.amazonaws.com for ExcludeManagementEventSources is invalid.');
    fails(() => normaliseEventSelectors([]), 'Specify a valid number of event selectors (1 to 5) for a trail.');
    fails(() => normaliseEventSelectors(Array.from({ length: 6 }, () => ({}))), 'Specify a valid number of event selectors (1 to 5) for a trail.');
    const many = Array.from({ length: 251 }, (_, i) => `arn:aws:s3:::bucket-${i}/`);
    fails(() => normaliseEventSelectors([{ DataResources: [{ Type: 'AWS::S3::Object', Values: many }] }]),
      'Specify a valid number of DataResources.Values (0 to 250) for all your selectors');
    expect(() => normaliseEventSelectors([{ DataResources: [{ Type: 'AWS::S3::Object', Values: [...many.slice(0, 250), 'arn:aws:s3'] }] }])).not.toThrow();
  });
});

describe('advanced event selectors', () => {
  const management: AdvancedEventSelector = { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };
  const s3Writes: AdvancedEventSelector = {
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'eventName', Equals: ['PutObject', 'DeleteObject'], NotStartsWith: ['Get'] },
      { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::bucket/prefix'] },
      { Field: 'readOnly', Equals: ['false'] },
    ],
  };

  it('accepts what AWS documents and keeps only the operators given', () => {
    expect(normaliseAdvancedEventSelectors([management, s3Writes])).toEqual([management, s3Writes]);
    expect(normaliseAdvancedEventSelectors([{ FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
    ] }])).toHaveLength(1);
    expect(normaliseAdvancedEventSelectors([{ FieldSelectors: [
      { Field: 'eventCategory', Equals: ['NetworkActivity'] }, { Field: 'eventSource', Equals: ['ec2.amazonaws.com'] },
      { Field: 'errorCode', Equals: ['VpceAccessDenied'] },
    ] }])).toHaveLength(1);
  });

  it.each([
    [[{ Field: 'readOnly', Equals: ['true'] }], 'Advanced event selector must have an eventCategory field with Equals one of Management, Data, NetworkActivity.'],
    [[{ Field: 'eventCategory', Equals: ['Insight'] }], 'Advanced event selector must have an eventCategory field with Equals one of Management, Data, NetworkActivity.'],
    [[{ Field: 'eventCategory', StartsWith: ['Man'] }], 'Advanced event selector must have an eventCategory field with Equals one of Management, Data, NetworkActivity.'],
    [[{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventName', Equals: ['X'] }], 'Field eventName is not supported for eventCategory Management.'],
    [[{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }],
      'Value kms.amazonaws.com for field eventSource with operator Equals is invalid.'],
    [[{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['yes'] }], 'Value yes for field readOnly with operator Equals is invalid.'],
    [[{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', NotEquals: ['true'] }], 'Only the Equals operator is supported for field readOnly.'],
    [[{ Field: 'eventCategory', Equals: ['Data'] }], 'Field resources.type is required for eventCategory Data.'],
    [[{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object', 'AWS::Lambda::Function'] }],
      'The resources.type field must have exactly one value.'],
    [[{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', Equals: ['bucket/key'] }],
      'Value bucket/key for field resources.ARN with operator Equals is invalid.'],
    [[{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventCategory', Equals: ['Management'] }], 'Field eventCategory can appear only once in an advanced event selector.'],
    [[{ Field: 'event Category', Equals: ['Management'] }], 'Field event Category is invalid.'],
    [[{ Field: 'eventCategory' }], 'Advanced event selector must have an eventCategory field with Equals one of Management, Data, NetworkActivity.'],
    [[{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName' }],
      'Field eventName must specify at least one operator.'],
    [[{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: [] }],
      'Operator Equals of field eventName must have at least one value.'],
    [[], 'Advanced event selector must have at least one field selector.'],
  ])('rejects %j', (fields, message) => {
    fails(() => normaliseAdvancedEventSelectors([{ FieldSelectors: fields }]), message);
  });

  it('counts at most 500 values over all selectors', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `Op${i}`);
    const selector = (n: number): AdvancedEventSelector => ({ FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: names(n) },
    ] });
    expect(() => normaliseAdvancedEventSelectors([selector(248), selector(248)])).not.toThrow();
    fails(() => normaliseAdvancedEventSelectors([selector(248), selector(249)]), 'Specify up to 500 values for all conditions in all advanced event selectors for a trail.');
  });
});

describe('PutEventSelectors input', () => {
  it('takes exactly one kind', () => {
    fails(() => checkSelectorsInput({}), 'Specify either EventSelectors or AdvancedEventSelectors.');
    fails(() => checkSelectorsInput({ EventSelectors: [{}], AdvancedEventSelectors: [] }), 'You can use either EventSelectors or AdvancedEventSelectors, but not both.');
    expect(checkSelectorsInput({ EventSelectors: [{}] }).advancedEventSelectors).toBeUndefined();
  });
});
