import { describe, expect, it } from 'vitest';
import {
  compactTime, digestFileKey, digestKeyPattern, digestKeyTime, digestPrefix, isBackfillDigestKey, logFileKey, parseCompactTime,
} from './object-keys.js';

const at = Date.UTC(2015, 7, 17, 15, 1, 31);
const location = { accountId: '111122223333' };

describe('object keys', () => {
  it('names log files as the user guide shows', () => {
    expect(logFileKey(location, 'us-east-2', Date.UTC(2015, 7, 17, 14, 45, 59), '9nYN7gp2eWAJHIfT')).toBe(
      'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz',
    );
    expect(logFileKey({ ...location, prefix: 'a/b', organizationId: 'o-exampleorgid' }, 'eu-west-1', at, 'x'.repeat(16))).toBe(
      'a/b/AWSLogs/o-exampleorgid/111122223333/CloudTrail/eu-west-1/2015/08/17/111122223333_CloudTrail_eu-west-1_20150817T1501Z_xxxxxxxxxxxxxxxx.json.gz',
    );
  });

  it('names digest files as the user guide shows, by their end time', () => {
    const key = digestFileKey(location, 'us-east-2', 'your-trail-name', 'us-east-2', at);
    expect(key).toBe(
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
    );
    expect(key.startsWith(digestPrefix(location, 'us-east-2'))).toBe(true);
    expect(digestKeyTime(key)).toBe('20150817T150131Z');
    expect(parseCompactTime(digestKeyTime(key))).toBe(at);
    expect(compactTime(at)).toBe('20150817T150131Z');
  });

  it('recognises the digest keys of one trail and region only, as validate-logs does', () => {
    const pattern = digestKeyPattern({ ...location, prefix: 'p.x' }, 'us-east-2', 'my.trail', 'us-east-1');
    const key = digestFileKey({ ...location, prefix: 'p.x' }, 'us-east-2', 'my.trail', 'us-east-1', at);
    expect(pattern.test(key)).toBe(true);
    expect(pattern.test(key.replace('_my.trail_', '_myxtrail_'))).toBe(false);
    expect(pattern.test(key.replace('p.x/', 'pyx/'))).toBe(false);
    expect(pattern.test(key.replace('_us-east-1_', '_us-west-2_'))).toBe(false);
    const backfill = key.replace('.json.gz', '_backfill.json.gz');
    expect(pattern.test(backfill)).toBe(true);
    expect(isBackfillDigestKey(backfill)).toBe(true);
    expect(digestKeyTime(backfill)).toBe('20150817T150131Z');
  });

  it('rejects malformed timestamps', () => {
    expect(parseCompactTime('20150817T1501Z')).toBeNaN();
  });
});
