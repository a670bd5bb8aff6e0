import { describe, expect, it } from 'vitest';
import { advancedSelects, basicSelects, trailSelects, type SelectableEvent, type SelectingTrail } from './selector-matching.js';

function event(overrides: Partial<SelectableEvent> & { body?: Record<string, unknown> } = {}): SelectableEvent {
  const { body = {}, ...rest } = overrides;
  return {
    region: 'us-east-1', eventTime: 1_000, eventId: 'e1', eventName: 'CreateTrail', eventSource: 'cloudtrail.amazonaws.com',
    category: 'Management', readOnly: false, record: () => body, ...rest,
  };
}

const s3Put = (key: string, readOnly = false) => event({
  eventName: readOnly ? 'GetObject' : 'PutObject', eventSource: 's3.amazonaws.com', category: 'Data', readOnly,
  body: { resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::bucket/${key}` }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::bucket' }],
    userIdentity: { arn: 'arn:aws:iam::123456789012:user/alice' } },
});

const trail: SelectingTrail = {
  homeRegion: 'us-east-1', isMultiRegionTrail: false, includeGlobalServiceEvents: true, isLogging: true, startLoggingTime: 0,
};

describe('which records a trail takes', () => {
  it('takes management events of its region by default, not data events', () => {
    expect(trailSelects(trail, event())).toBe(true);
    expect(trailSelects(trail, event({ region: 'eu-west-1' }))).toBe(false);
    expect(trailSelects({ ...trail, isMultiRegionTrail: true }, event({ region: 'eu-west-1' }))).toBe(true);
    expect(trailSelects(trail, s3Put('a'))).toBe(false);
  });

  it('skips global-service events when told to', () => {
    const iam = event({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' });
    expect(trailSelects(trail, iam)).toBe(true);
    expect(trailSelects({ ...trail, includeGlobalServiceEvents: false }, iam)).toBe(false);
  });

  it('takes only what happened while it was logging, StopLogging included', () => {
    const stopped = { ...trail, isLogging: false, startLoggingTime: 1_000, stopLoggingTime: 2_000, stopLoggingEventId: 'stop' };
    expect(trailSelects({ ...trail, isLogging: false, startLoggingTime: undefined }, event())).toBe(false);
    expect(trailSelects(stopped, event({ eventTime: 999 }))).toBe(false);
    expect(trailSelects(stopped, event({ eventTime: 1_500 }))).toBe(true);
    expect(trailSelects(stopped, event({ eventTime: 2_001 }))).toBe(false);
    expect(trailSelects(stopped, event({ eventTime: 2_001, eventId: 'stop' }))).toBe(true);
  });

  it('uses advanced selectors instead of basic ones when it has them', () => {
    const advanced = { ...trail, advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] };
    expect(trailSelects(advanced, event())).toBe(false);
    expect(trailSelects(advanced, s3Put('a'))).toBe(true);
  });
});

describe('basic selectors', () => {
  it('filters management events by read/write type and excluded sources', () => {
    expect(basicSelects({ ReadWriteType: 'ReadOnly' }, event())).toBe(false);
    expect(basicSelects({ ReadWriteType: 'WriteOnly' }, event())).toBe(true);
    expect(basicSelects({ IncludeManagementEvents: false }, event())).toBe(false);
    expect(basicSelects({ ExcludeManagementEventSources: ['kms.amazonaws.com'] }, event({ eventSource: 'kms.amazonaws.com' }))).toBe(false);
  });

  it('selects S3 objects by ARN prefix and Lambda functions exactly', () => {
    const s3 = (values: string[], rw: 'All' | 'ReadOnly' = 'All') => ({ ReadWriteType: rw, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] });
    expect(basicSelects(s3(['arn:aws:s3:::bucket/logs/']), s3Put('logs/a'))).toBe(true);
    expect(basicSelects(s3(['arn:aws:s3:::bucket/logs/']), s3Put('other/a'))).toBe(false);
    expect(basicSelects(s3(['arn:aws:s3']), s3Put('other/a'))).toBe(true);
    expect(basicSelects(s3(['arn:aws:s3:::']), s3Put('other/a'))).toBe(true);
    expect(basicSelects(s3(['arn:aws:s3'], 'ReadOnly'), s3Put('a'))).toBe(false);
    expect(basicSelects(s3(['arn:aws:s3:::other/']), s3Put('a'))).toBe(false);
    const invoke = (name: string) => event({ category: 'Data', eventSource: 'lambda.amazonaws.com', eventName: 'Invoke',
      body: { resources: [{ type: 'AWS::Lambda::Function', ARN: `arn:aws:lambda:us-east-1:123456789012:function:${name}` }] } });
    const lambda = { DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda:us-east-1:123456789012:function:helloworld'] }] };
    expect(basicSelects(lambda, invoke('helloworld'))).toBe(true);
    expect(basicSelects(lambda, invoke('helloworld2'))).toBe(false);
  });
});

describe('advanced selectors', () => {
  const data = (...fields: { Field: string; [op: string]: unknown }[]) => ({ FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...fields,
  ] });

  it('ANDs fields, ORs values of positive operators and excludes any value of negative ones', () => {
    expect(advancedSelects(data({ Field: 'eventName', Equals: ['PutObject', 'DeleteObject'] }), s3Put('a'))).toBe(true);
    expect(advancedSelects(data({ Field: 'eventName', NotEquals: ['GetObject', 'PutObject'] }), s3Put('a'))).toBe(false);
    expect(advancedSelects(data({ Field: 'eventName', StartsWith: ['Get'] }), s3Put('a'))).toBe(false);
    expect(advancedSelects(data({ Field: 'eventName', EndsWith: ['Object'], NotStartsWith: ['Delete'] }), s3Put('a'))).toBe(true);
    expect(advancedSelects(data({ Field: 'readOnly', Equals: ['true'] }), s3Put('a', true))).toBe(true);
    expect(advancedSelects(data({ Field: 'readOnly', Equals: ['true'] }), s3Put('a'))).toBe(false);
  });

  it('reads resources.ARN from the resource of the selected type', () => {
    expect(advancedSelects(data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::bucket/logs/'] }), s3Put('logs/x'))).toBe(true);
    expect(advancedSelects(data({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::bucket/logs/'] }), s3Put('x'))).toBe(false);
    expect(advancedSelects(data({ Field: 'resources.ARN', Equals: ['arn:aws:s3:::bucket'] }), s3Put('x'))).toBe(false);
    expect(advancedSelects(data({ Field: 'resources.ARN', NotEndsWith: ['.tmp'] }), s3Put('x.tmp'))).toBe(false);
  });

  it('reads userIdentity.arn, missing fields and management categories', () => {
    expect(advancedSelects(data({ Field: 'userIdentity.arn', EndsWith: [':user/alice'] }), s3Put('a'))).toBe(true);
    expect(advancedSelects(data({ Field: 'sessionCredentialFromConsole', Equals: ['false'] }), s3Put('a'))).toBe(true);
    expect(advancedSelects(data({ Field: 'eventType', Equals: ['AwsApiCall'] }), s3Put('a'))).toBe(false);
    expect(advancedSelects(data({ Field: 'eventType', NotEquals: ['AwsServiceEvent'] }), s3Put('a'))).toBe(true);
    const mgmt = { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] };
    expect(advancedSelects(mgmt, event())).toBe(true);
    expect(advancedSelects(mgmt, event({ eventSource: 'kms.amazonaws.com' }))).toBe(false);
    expect(advancedSelects(mgmt, s3Put('a'))).toBe(false);
  });
});
