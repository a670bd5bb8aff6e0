import { describe, expect, it } from 'vitest';
import { compileModel } from '../protocol/model.js';
import type { Principal } from '../auth/principal.js';
import { auditDate, auditValue, HIDDEN } from './parameters.js';
import { buildRecord, type CallFacts } from './record.js';

const ROOT: Principal = { type: 'Root', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012', accessKeyId: 'AKIAROOT' };

function facts(overrides: Partial<CallFacts> = {}): CallFacts {
  return {
    eventId: 'e1', requestId: 'r1', eventTime: Date.UTC(2024, 0, 2, 3, 4, 5, 678), eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: 'aws-cli/1.0', principal: ROOT,
    readOnly: false, category: 'Management', requestParameters: { userName: 'alice' }, responseElements: { user: { userName: 'alice' } },
    resources: [], recipientAccountId: '123456789012', ...overrides,
  };
}

describe('CloudTrail records', () => {
  it('writes AWS’s fields in AWS’s order, eventTime to the second', () => {
    const record = JSON.parse(buildRecord(facts()).body);
    expect(Object.keys(record)).toEqual([
      'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
      'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'eventType', 'managementEvent',
      'recipientAccountId', 'eventCategory',
    ]);
    expect(record.eventTime).toBe('2024-01-02T03:04:05Z');
    expect(record.eventVersion).toBe('1.11');
  });

  it('records failures with errorCode and errorMessage and no responseElements', () => {
    const record = JSON.parse(buildRecord(facts({ error: { code: 'AccessDenied', message: 'no' } })).body);
    expect(record).toMatchObject({ errorCode: 'AccessDenied', errorMessage: 'no', responseElements: null });
    expect(Object.keys(record).indexOf('errorCode')).toBe(Object.keys(record).indexOf('userAgent') + 1);
  });

  it('writes absent responseElements as null and truncates long fields', () => {
    const record = JSON.parse(buildRecord(facts({ readOnly: true, responseElements: undefined, userAgent: 'x'.repeat(5000) })).body);
    expect(record.responseElements).toBeNull();
    expect(record.userAgent).toHaveLength(1024);
  });

  it('omits parameters over 100 KB', () => {
    const record = JSON.parse(buildRecord(facts({ requestParameters: { policy: 'x'.repeat(101 * 1024) } })).body);
    expect('requestParameters' in record).toBe(false);
  });

  it('shapes IAM users and assumed roles as CloudTrail does', () => {
    const user: Principal = { type: 'IAMUser', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', principalId: 'AIDAALICE', accessKeyId: 'AKIAALICE', userName: 'alice' };
    expect(JSON.parse(buildRecord(facts({ principal: user })).body).userIdentity).toEqual({
      type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', accessKeyId: 'AKIAALICE', userName: 'alice',
    });
    const role: Principal = {
      type: 'AssumedRole', accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/admin/alice-session',
      principalId: 'AROAADMIN:alice-session', accessKeyId: 'ASIAROLE',
      session: {
        issuer: { type: 'Role', principalId: 'AROAADMIN', arn: 'arn:aws:iam::123456789012:role/admin', accountId: '123456789012', userName: 'admin' },
        creationDate: '2024-01-02T03:00:00Z', mfaAuthenticated: false, sessionName: 'alice-session',
      },
    };
    const built = buildRecord(facts({ principal: role }));
    expect(JSON.parse(built.body).userIdentity).toEqual({
      type: 'AssumedRole', principalId: 'AROAADMIN:alice-session', arn: 'arn:aws:sts::123456789012:assumed-role/admin/alice-session',
      accountId: '123456789012', accessKeyId: 'ASIAROLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAADMIN', arn: 'arn:aws:iam::123456789012:role/admin', accountId: '123456789012', userName: 'admin' },
        attributes: { creationDate: '2024-01-02T03:00:00Z', mfaAuthenticated: 'false' },
      },
    });
    expect(built.username).toBe('alice-session');
  });

  it('names AWS services as the caller of calls they make', () => {
    const service: Principal = { type: 'AWSService', accountId: '123456789012', arn: 'config.amazonaws.com', principalId: 'config.amazonaws.com', invokedBy: 'config.amazonaws.com' };
    const record = JSON.parse(buildRecord(facts({ principal: service })).body);
    expect(record.userIdentity).toEqual({ type: 'AWSService', invokedBy: 'config.amazonaws.com' });
    expect(record.sourceIPAddress).toBe('config.amazonaws.com');
  });
});

describe('requestParameters and responseElements', () => {
  const model = compileModel({
    metadata: { protocol: 'query' },
    shapes: {
      Input: { type: 'structure', members: { UserName: { shape: 'S' }, Password: { shape: 'Secret' }, When: { shape: 'T' }, Tags: { shape: 'TagList' }, Data: { shape: 'B' }, Ids: { shape: 'IdList', locationName: 'InstanceId' } } },
      IdList: { type: 'list', member: { shape: 'S', locationName: 'item' } },
      Secret: { type: 'string', sensitive: true },
      S: { type: 'string' },
      T: { type: 'timestamp' },
      B: { type: 'blob' },
      TagList: { type: 'list', member: { shape: 'Tag', locationName: 'item' } },
      Tag: { type: 'structure', members: { Key: { shape: 'S', locationName: 'key' }, Value: { shape: 'S', locationName: 'value' } } },
    },
  });
  const input = model.shapes.get('Input')!;
  const value = { UserName: 'alice', Password: 'hunter2', When: new Date(Date.UTC(2023, 6, 10, 12, 23, 5)), Tags: [{ Key: 'a', Value: 'b' }], Data: Buffer.from('x') };

  it('lower-cases member names, hides secrets and prints dates as AWS does', () => {
    expect(auditValue(input, value, 'default', 'mask')).toEqual({
      userName: 'alice', password: HIDDEN, when: 'Jul 10, 2023 12:23:05 PM', tags: [{ key: 'a', value: 'b' }],
    });
    expect(auditValue(input, value, 'default', 'drop')).not.toHaveProperty('password');
  });

  it('wraps lists in items for EC2, strings as named items, and writes dates as epoch milliseconds', () => {
    expect(auditValue(input, { Tags: [{ Key: 'a', Value: 'b' }] }, 'ec2', 'mask')).toEqual({ tags: { items: [{ key: 'a', value: 'b' }] } });
    expect(auditValue(input, { Ids: ['i-1', 'i-2'], When: value.When }, 'ec2', 'mask')).toEqual({
      instanceId: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }] }, when: Date.UTC(2023, 6, 10, 12, 23, 5),
    });
  });

  it('prints midnight and noon on a 12-hour clock', () => {
    expect(auditDate(new Date(Date.UTC(2024, 0, 1, 0, 5, 0)))).toBe('Jan 1, 2024 12:05:00 AM');
    expect(auditDate(new Date(Date.UTC(2024, 0, 1, 12, 0, 9)))).toBe('Jan 1, 2024 12:00:09 PM');
  });
});
