/**
 * @module
 * The HTTP bindings shared by restXml and restJson1: members bound to URI labels, query
 * parameters, headers, prefixed headers (`x-amz-meta-*`) and the status code. Strings from the
 * wire become shaped values (numbers, booleans, HTTP-date timestamps, base64 blobs and JSON
 * values, comma-separated lists) and back.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ServiceError } from '../core/errors.js';
import type { Member, Shape } from './model.js';
import { setOwn } from './records.js';
import { formatTimestamp, parseTimestamp, toDate } from './timestamps.js';

/** Where the located members of an input come from. */
export interface BindingSource {
  readonly labels: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Query keys that the route itself consumed (literal template keys, `x-id`). */
  readonly routeKeys: ReadonlySet<string>;
}

function invalid(member: Member, text: string): ServiceError {
  return new ServiceError('InvalidArgument', `Invalid value '${text}' for ${member.locationName ?? member.name}.`, { status: 400 });
}

/** Reads one string from a label, query parameter or header as `shape`. */
export function readBoundScalar(member: Member, shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw invalid(member, text);
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw invalid(member, text);
      return t === 'true';
    }
    case 'timestamp': {
      const date = parseTimestamp(text.trim());
      if (!date) throw invalid(member, text);
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      if (member.jsonvalue) {
        try {
          return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
        } catch {
          throw invalid(member, text);
        }
      }
      return text;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function splitHeaderList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function readLocated(member: Member, source: BindingSource, consumed: Set<string>): unknown {
  const shape = member.shape;
  const name = member.locationName ?? member.name;
  switch (member.location) {
    case 'uri': {
      const text = source.labels[name];
      return text === undefined ? undefined : readBoundScalar(member, shape, text);
    }
    case 'querystring': {
      if (shape.type === 'map' && !member.locationName) {
        const out: Record<string, unknown> = {};
        for (const key of new Set(source.query.keys())) {
          if (consumed.has(key) || source.routeKeys.has(key)) continue;
          const all = source.query.getAll(key);
          setOwn(out, key, shape.value!.shape.type === 'list' ? all : all[0]);
        }
        return out;
      }
      consumed.add(name);
      if (!source.query.has(name)) return undefined;
      if (shape.type === 'list') {
        return source.query.getAll(name).map((t) => readBoundScalar(shape.member!, shape.member!.shape, t));
      }
      return readBoundScalar(member, shape, source.query.get(name)!);
    }
    case 'header': {
      const text = headerText(source.headers[name.toLowerCase()]);
      if (text === undefined) return undefined;
      if (shape.type === 'list') {
        return splitHeaderList(text).map((t) => readBoundScalar(shape.member!, shape.member!.shape, t));
      }
      return readBoundScalar(member, shape, text);
    }
    case 'headers': {
      const prefix = name.toLowerCase();
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(source.headers)) {
        const text = headerText(value);
        if (key.startsWith(prefix) && text !== undefined) setOwn(out, key.slice(prefix.length), text);
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    default:
      return undefined;
  }
}

/** Reads every member of `shape` bound to a label, the query string or headers. */
export function readBindings(shape: Shape, source: BindingSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const consumed = new Set<string>();
  const ordered = [...shape.members].sort((a, b) => Number(isQueryMap(a)) - Number(isQueryMap(b)));
  for (const member of ordered) {
    if (!member.location) continue;
    const value = readLocated(member, source, consumed);
    if (value !== undefined) out[member.name] = value;
  }
  return out;
}

function isQueryMap(member: Member): boolean {
  return member.location === 'querystring' && member.shape.type === 'map' && !member.locationName;
}

/** Writes a scalar for a header: HTTP dates by default, base64 JSON for jsonvalue members. */
export function headerValue(member: Member, shape: Shape, value: unknown): string | undefined {
  switch (shape.type) {
    case 'timestamp': {
      const date = toDate(value);
      return date && String(formatTimestamp(date, member.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
    }
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (member.jsonvalue) {
        const json = typeof value === 'string' ? value : JSON.stringify(value);
        return Buffer.from(json, 'utf8').toString('base64');
      }
      return String(value);
  }
}

/** The headers and status code an output's located members ask for. */
export function writeBindings(shape: Shape | undefined, output: Record<string, unknown>): {
  headers: Record<string, string>;
  status?: number;
} {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  for (const member of shape?.members ?? []) {
    const value = output[member.name];
    if (value === undefined || value === null) continue;
    if (member.location === 'statusCode') status = Number(value);
    else if (member.location === 'header') {
      const name = (member.locationName ?? member.name).toLowerCase();
      const text = member.shape.type === 'list'
        ? (value as unknown[]).map((v) => headerValue(member.shape.member!, member.shape.member!.shape, v)).join(', ')
        : headerValue(member, member.shape, value);
      if (text !== undefined) headers[name] = text;
    } else if (member.location === 'headers') {
      const prefix = (member.locationName ?? '').toLowerCase();
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && v !== null) headers[`${prefix}${key}`.toLowerCase()] = String(v);
      }
    }
  }
  return { headers, status };
}
