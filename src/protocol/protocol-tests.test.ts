/**
 * Runs botocore's JSON-protocol compliance cases (from ../shared/data/protocol-tests/) against
 * the awsJson codec: input cases through resolveOperation + decodeInput, output cases through
 * encodeOutput, error cases through encodeError, and the RPC event-stream case byte for byte.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { awsJsonCodec } from './aws-json.js';
import type { WireRequest } from './codec.js';
import { decodeEventStreamMessages, encodeRpcEventStream } from './event-stream.js';
import { compileModel, type ModelFile, type ModelOperation, type Shape } from './model.js';

const DATA_DIR = fileURLToPath(new URL('../../../shared/data/protocol-tests/', import.meta.url));
const INPUT_FILE = `${DATA_DIR}botocore-format-input-json.json`;
const OUTPUT_FILE = `${DATA_DIR}botocore-format-output-json.json`;

for (const file of [INPUT_FILE, OUTPUT_FILE]) {
  if (!existsSync(file)) {
    throw new Error(`protocol test data missing: ${file} (expected ../shared/data/protocol-tests/ beside the repository)`);
  }
}

interface Suite {
  description: string;
  metadata: ModelFile['metadata'];
  shapes: ModelFile['shapes'];
  cases: Case[];
}

interface Case {
  given: ModelOperation & { errors?: { shape: string }[] };
  params?: Record<string, unknown>;
  serialized?: { body: string; headers: Record<string, string>; uri: string };
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  response?: { status_code: number; headers: Record<string, string>; body: string };
}

function load(file: string): Suite[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Suite[];
}

function modelFor(suite: Suite, given: Case['given']) {
  return compileModel({ metadata: suite.metadata, shapes: suite.shapes, operations: { [given.name]: given } }, 'protocol-test');
}

/** Decoded values in botocore's test convention: timestamps as epoch seconds, blobs as text. */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

/** botocore's results give timestamps as epoch seconds; handlers give Dates. */
function withDates(shape: Shape | undefined, value: unknown): unknown {
  if (value === null || value === undefined || !shape) return value;
  switch (shape.type) {
    case 'timestamp':
      return typeof value === 'number' ? new Date(value * 1000) : value;
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDates(shape.membersByName.get(k)?.shape, v)]));
    case 'list':
      return Array.isArray(value) ? value.map((v) => withDates(shape.member?.shape, v)) : value;
    case 'map':
      return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withDates(shape.value?.shape, v)]));
    default:
      return value;
  }
}

/** Python's json.dumps spelling (", " and ": " separators), which the expected bytes use. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

describe('botocore JSON input cases', () => {
  for (const suite of load(INPUT_FILE)) {
    suite.cases.forEach((c, i) => {
      it(`${suite.description} #${i + 1}`, () => {
        const model = modelFor(suite, c.given);
        const headers = Object.fromEntries(Object.entries(c.serialized!.headers).map(([k, v]) => [k.toLowerCase(), v]));
        const request: WireRequest = {
          method: c.given.http?.method ?? 'POST',
          path: c.serialized!.uri,
          query: '',
          headers,
          body: Buffer.from(c.serialized!.body, 'utf8'),
        };
        const { operation, name } = awsJsonCodec.resolveOperation(model, request);
        expect(name).toBe(c.given.name);
        expect(operation).toBeDefined();
        expect(normalise(awsJsonCodec.decodeInput(operation!, request))).toEqual(c.params);
      });
    });
  }
});

describe('botocore JSON output cases', () => {
  for (const suite of load(OUTPUT_FILE)) {
    suite.cases.forEach((c, i) => {
      const title = `${suite.description} #${i + 1}`;
      const model = modelFor(suite, c.given);
      const operation = model.operations.get(c.given.name)!;
      const meta = { requestId: 'a8c4e1d2-0000-4000-8000-000000000000' };

      if (c.errorCode !== undefined) {
        it(`${title} (error)`, () => {
          const fields = Object.fromEntries(Object.entries(c.error ?? {}).filter(([k]) => k.toLowerCase() !== 'message')) as Record<string, string>;
          const response = awsJsonCodec.encodeError(model, new ServiceError(c.errorCode!, c.errorMessage ?? '', { fields }), meta);
          expect(response.status).toBe(c.response!.status_code);
          const body = JSON.parse(String(response.body)) as Record<string, unknown>;
          const type = String(body.__type);
          expect(type.slice(type.indexOf('#') + 1)).toBe(c.errorCode);
          if (c.errorMessage !== undefined) expect(body.message ?? body.Message).toBe(c.errorMessage);
          for (const [k, v] of Object.entries(fields)) expect(body[k]).toBe(v);
        });
        return;
      }

      const result = withDates(operation.output, c.result) as Record<string, unknown>;
      if (operation.output?.members.some((m) => m.shape.eventstream)) {
        it(`${title} (byte-equal event stream)`, () => {
          const expected = Buffer.from(c.response!.body, 'base64');
          expect(encodeRpcEventStream(operation.output!, result, { stringify: pythonJson }).toString('base64')).toBe(c.response!.body);
          const response = awsJsonCodec.encodeOutput(operation, result, meta);
          expect(response.headers['content-type']).toBe('application/vnd.amazon.eventstream');
          const got = decodeEventStreamMessages(response.body as Buffer);
          const want = decodeEventStreamMessages(expected);
          expect(got.map((m) => m.headers)).toEqual(want.map((m) => m.headers));
          got.forEach((message, j) => {
            const type = message.headers.find(([n]) => n === ':content-type')?.[1];
            if (type === 'text/json') expect(JSON.parse(message.payload.toString())).toEqual(JSON.parse(want[j]!.payload.toString()));
            else expect(message.payload.equals(want[j]!.payload)).toBe(true);
          });
        });
        return;
      }

      it(title, () => {
        const response = awsJsonCodec.encodeOutput(operation, result, meta);
        expect(response.status).toBe(c.response!.status_code);
        expect(JSON.parse(String(response.body))).toEqual(JSON.parse(c.response!.body));
      });
    });
  }
});
