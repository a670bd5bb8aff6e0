/**
 * @module
 * Converting between JSON documents and shaped values, shared by the JSON protocols
 * (awsJson 1.0/1.1 and restJson1): timestamps as epoch seconds by default, blobs as base64.
 */
import { ServiceError } from '../core/errors.js';
import type { Member, Shape, TimestampFormat } from './model.js';
import { formatTimestamp, parseTimestamp, toDate } from './timestamps.js';

/** How a JSON protocol names members: awsJson uses member names, restJson1 honours jsonName. */
export interface JsonNaming {
  readonly useJsonName: boolean;
}

function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

function memberKey(member: Member, naming: JsonNaming): string {
  return naming.useJsonName && member.jsonName ? member.jsonName : member.name;
}

/** Reads a JSON value as `shape`; throws SerializationException when the types disagree. */
export function readJsonValue(shape: Shape, value: unknown, naming: JsonNaming, path: string): unknown {
  if (value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw serializationError(`Start of structure or map expected at '${path}'.`);
      }
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const member of shape.members) {
        const raw = source[memberKey(member, naming)];
        if (raw === undefined) continue;
        const read = readJsonValue(member.shape, raw, naming, `${path}.${member.name}`);
        if (read !== undefined) out[member.name] = read;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw serializationError(`Start of list expected at '${path}'.`);
      return value.map((item, i) => readJsonValue(shape.member!.shape, item, naming, `${path}[${i}]`) ?? null);
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(`Start of map expected at '${path}'.`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = readJsonValue(shape.value!.shape, v, naming, `${path}.${k}`) ?? null;
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw serializationError(`Expected a string at '${path}'.`);
      return value;
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(value)) return Number(value);
      throw serializationError(`Expected a number at '${path}'.`);
    case 'boolean':
      if (typeof value !== 'boolean') throw serializationError(`Expected a boolean at '${path}'.`);
      return value;
    case 'timestamp': {
      const date = parseTimestamp(value);
      if (!date) throw serializationError(`Expected a timestamp at '${path}'.`);
      return date;
    }
    case 'blob':
      if (typeof value !== 'string') throw serializationError(`Expected base64 data at '${path}'.`);
      return Buffer.from(value, 'base64');
    case 'document':
      return value;
  }
}

/** Writes `value` as `shape` for a JSON body. Members the shape does not declare are dropped. */
export function writeJsonValue(shape: Shape, value: unknown, naming: JsonNaming, format?: TimestampFormat): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const member of shape.members) {
        if (member.location) continue;
        const written = writeJsonValue(member.shape, source[member.name], naming, member.timestampFormat);
        if (written !== undefined) out[memberKey(member, naming)] = written;
      }
      return out;
    }
    case 'list': {
      const member = shape.member!;
      return (value as unknown[]).map((item) => writeJsonValue(member.shape, item, naming, member.timestampFormat) ?? null);
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const member = shape.value!;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = writeJsonValue(member.shape, v, naming, member.timestampFormat) ?? null;
      }
      return out;
    }
    case 'timestamp': {
      const date = toDate(value);
      return date ? formatTimestamp(date, format ?? shape.timestampFormat ?? 'unixTimestamp') : undefined;
    }
    case 'blob':
      return Buffer.isBuffer(value) || value instanceof Uint8Array
        ? Buffer.from(value).toString('base64')
        : Buffer.from(String(value), 'utf8').toString('base64');
    default:
      return value;
  }
}
