import { describe, expect, it } from 'vitest';
import { buildLogFile, digestEntry } from './log-file.js';
import { sha256Hex } from './signing.js';

describe('log files', () => {
  it('wraps the stored record bytes, unchanged and in order, in {"Records":[...]}', () => {
    const records = [
      { body: '{"eventID":"b","eventTime":"2024-03-01T00:00:02Z","x":"é"}', eventTime: Date.UTC(2024, 2, 1, 0, 0, 2) },
      { body: '{"eventID":"a",  "spacing":"kept"}', eventTime: Date.UTC(2024, 2, 1, 0, 0, 1) },
    ];
    const file = buildLogFile(records);
    const text = `{"Records":[${records[0]!.body},${records[1]!.body}]}`;
    expect(file.bytes.toString('utf8')).toBe(text);
    expect(file.hash).toBe(sha256Hex(Buffer.from(text, 'utf8')));
    expect(JSON.parse(text).Records).toHaveLength(2);
    expect([file.oldestEventTime, file.newestEventTime]).toEqual(['2024-03-01T00:00:01Z', '2024-03-01T00:00:02Z']);
    expect(digestEntry(file, 'b', 'k')).toEqual({
      s3Bucket: 'b', s3Object: 'k', hashValue: file.hash, hashAlgorithm: 'SHA-256',
      newestEventTime: '2024-03-01T00:00:02Z', oldestEventTime: '2024-03-01T00:00:01Z',
    });
  });

  it('refuses to build an empty file', () => {
    expect(() => buildLogFile([])).toThrow();
  });
});
