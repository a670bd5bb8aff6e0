/**
 * Golden vectors for the filter-pattern engine (testdata/vectors.json: the CloudWatch Logs User
 * Guide's examples, the CIS monitoring patterns and our own hard cases, invalid patterns
 * included), and the CIS patterns run over real CloudTrail records against an independent oracle.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileFilterPattern, FilterPatternError } from './filter-pattern.js';

interface Vectors {
  events: Record<string, string>;
  cases: { pattern: string; event: string; match: boolean; extracted?: Record<string, string>; note?: string }[];
  invalid: { pattern: string; message?: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/vectors.json', import.meta.url), 'utf8')) as Vectors;

describe('filter pattern golden vectors', () => {
  it.each(vectors.cases.map((c, i) => [i, c] as const))('case %i: %j', (_, c) => {
    const message = vectors.events[c.event];
    expect(message, `event ${c.event}`).toBeDefined();
    const result = compileFilterPattern(c.pattern).match(message!);
    expect(result !== undefined, c.note ?? '').toBe(c.match);
    if (c.extracted) expect(result?.extractedValues).toEqual(c.extracted);
  });

  it.each(vectors.invalid.map((c) => [c.pattern, c] as const))('rejects %j', (_, c) => {
    let error: unknown;
    try {
      compileFilterPattern(c.pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterPatternError);
    if (c.message) expect((error as FilterPatternError).awsMessage).toBe(c.message);
  });

  it('every vector event is used and every pattern kind is covered', () => {
    const used = new Set(vectors.cases.map((c) => c.event));
    expect(Object.keys(vectors.events).filter((e) => !used.has(e))).toEqual([]);
    const kinds = new Set(vectors.cases.map((c) => compileFilterPattern(c.pattern).kind));
    expect([...kinds].sort()).toEqual(['delimited', 'json', 'terms']);
  });
});

describe('values for metric transformations', () => {
  it('reads JSON selectors and delimited fields from a match', () => {
    const json = compileFilterPattern('{ $.latency = * }').match('{"latency": 42, "user": {"name": "bob"}, "tags": ["a"]}')!;
    expect(json.value('$.latency')).toBe(42);
    expect(json.value('$.user.name')).toBe('bob');
    expect(json.value('$.tags[0]')).toBe('a');
    expect(json.value('$.user')).toBeUndefined();
    expect(json.value('$.missing')).toBeUndefined();
    expect(json.value('latency')).toBeUndefined();
    const delimited = compileFilterPattern('[ip, user, status, bytes]').match('10.0.0.1 bob 200 512')!;
    expect(delimited.value('$bytes')).toBe('512');
    expect(delimited.value('$2')).toBeUndefined();
    expect(compileFilterPattern('[ip, user, status, bytes]').canReference('$bytes')).toBe(true);
    expect(compileFilterPattern('[ip, user, status, bytes]').canReference('$nope')).toBe(false);
    expect(compileFilterPattern('ERROR').canReference('$.x')).toBe(false);
  });
});

const REAL_DATA = fileURLToPath(new URL('../../../../../shared/data/cloudtrail-logs/', import.meta.url));

describe('CIS patterns over real CloudTrail records', () => {
  if (!existsSync(REAL_DATA)) throw new Error(`real CloudTrail records missing: ${REAL_DATA} (expected ../shared/data/ beside the repository)`);
  const records = readdirSync(REAL_DATA)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => (JSON.parse(readFileSync(REAL_DATA + f, 'utf8')) as { Records: Record<string, any>[] }).Records);

  // CIS 3.3 watches Root; these records have none, so the same shape runs on AssumedRole.
  const oracles: [string, (r: Record<string, any>) => boolean][] = [
    ['{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      (r) => typeof r.errorCode === 'string' && (r.errorCode.endsWith('UnauthorizedOperation') || r.errorCode.startsWith('AccessDenied'))],
    ['{ $.userIdentity.type = "AssumedRole" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      (r) => r.userIdentity?.type === 'AssumedRole' && !('invokedBy' in r.userIdentity) && typeof r.eventType === 'string' && r.eventType !== 'AwsServiceEvent'],
    ['{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      (r) => r.eventName === 'ConsoleLogin' && typeof r.additionalEventData?.MFAUsed === 'string' && r.additionalEventData.MFAUsed !== 'Yes'],
    ['{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
      (r) => ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'].includes(r.eventName)],
    ['{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = AttachUserPolicy) || ($.eventName = CreatePolicy) }',
      (r) => ['AuthorizeSecurityGroupIngress', 'CreateSecurityGroup', 'AttachUserPolicy', 'CreatePolicy'].includes(r.eventName)],
    ['{ $.requestParameters.bucketName = "*" || $.responseElements.ConsoleLogin = Success }',
      (r) => typeof r.requestParameters?.bucketName === 'string' || r.responseElements?.ConsoleLogin === 'Success'],
  ];

  it(`has records to test with (${records.length})`, () => {
    expect(records.length).toBeGreaterThan(1000);
  });

  it.each(oracles)('%s', (pattern, oracle) => {
    const compiled = compileFilterPattern(pattern);
    const ours = records.filter((r) => compiled.match(JSON.stringify(r)) !== undefined).map((r) => r.eventID);
    const expected = records.filter(oracle).map((r) => r.eventID);
    expect(ours).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });
});
