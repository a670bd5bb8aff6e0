/**
 * @module
 * Decoding the flattened `Name.member.1.Field=value` parameters of awsQuery and ec2Query requests
 * into shaped values, following botocore's query serialisers: structure members by name (or
 * locationName; ec2Query: queryName, else the capitalised locationName), lists as
 * `Name.member.N` (flattened and ec2Query: `Name.N`), maps as `Name.entry.N.key` /
 * `Name.entry.N.value` (flattened: `Name.N.key`), booleans `true`/`false`, ISO 8601 timestamps
 * and base64 blobs.
 */
import { ServiceError } from '../core/errors.js';
import type { Member, Shape } from './model.js';
import { setOwn } from './records.js';
import { parseTimestamp } from './timestamps.js';

/** One dotted segment of the parameter names, with the value sent for exactly that name. */
export interface QueryNode {
  value?: string;
  readonly children: Map<string, QueryNode>;
}

/** The query dialect: awsQuery or ec2Query. */
export interface QueryDialect {
  readonly ec2: boolean;
  /** The error code for values that do not parse as their shape. */
  readonly invalidValueCode: string;
}

/**
 * The parameters of a query request: the URL query string merged with a form-urlencoded body
 * (body values win).
 */
export function queryParameters(query: string, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(query);
  if (body.length > 0) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
  }
  return params;
}

/** Builds the tree of dotted parameter names (`Filter.1.Name` → Filter / 1 / Name). */
export function queryTree(params: URLSearchParams): QueryNode {
  const root: QueryNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const segment of key.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = { children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The parameter name of a structure member in a dialect. */
export function queryMemberName(member: Member, dialect: QueryDialect): string {
  if (!dialect.ec2) return member.locationName ?? member.name;
  return member.queryName ?? capitalise(member.locationName ?? member.name);
}

function numbered(node: QueryNode): QueryNode[] {
  return [...node.children.entries()]
    .filter(([key]) => /^[1-9][0-9]*$/.test(key))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, child]) => child);
}

function invalid(dialect: QueryDialect, path: string, value: string, expected: string): ServiceError {
  return new ServiceError(dialect.invalidValueCode, `Invalid value '${value}' for ${path}: expected ${expected}.`);
}

function readScalar(shape: Shape, text: string, dialect: QueryDialect, path: string): unknown {
  switch (shape.type) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw invalid(dialect, path, text, 'a number');
      return n;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (t !== 'true' && t !== 'false') throw invalid(dialect, path, text, 'true or false');
      return t === 'true';
    }
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (!date) throw invalid(dialect, path, text, 'an ISO 8601 timestamp');
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

function readList(list: Shape, node: QueryNode, flattened: boolean, dialect: QueryDialect, path: string): unknown[] {
  const items = flattened || dialect.ec2 ? node : node.children.get(list.member!.locationName ?? 'member');
  if (!items) return [];
  return numbered(items).map((item, i) => readQueryValue(list.member!.shape, item, dialect, `${path}.${i + 1}`));
}

function readMap(map: Shape, node: QueryNode, flattened: boolean, dialect: QueryDialect, path: string): Record<string, unknown> {
  const entries = flattened ? node : node.children.get('entry');
  const out: Record<string, unknown> = {};
  if (!entries) return out;
  const keyName = map.key?.locationName ?? 'key';
  const valueName = map.value!.locationName ?? 'value';
  for (const entry of numbered(entries)) {
    const key = entry.children.get(keyName)?.value;
    const value = entry.children.get(valueName);
    if (key === undefined || value === undefined) continue;
    setOwn(out, key, readQueryValue(map.value!.shape, value, dialect, `${path}.${key}`));
  }
  return out;
}

/** Reads the value of `node` as `shape`; undefined when nothing usable was sent. */
export function readQueryValue(shape: Shape, node: QueryNode, dialect: QueryDialect, path: string, member?: Member): unknown {
  switch (shape.type) {
    case 'structure':
      return readQueryStructure(shape, node, dialect, path);
    case 'list':
      return readList(shape, node, member?.flattened === true || shape.flattened, dialect, path);
    case 'map':
      return readMap(shape, node, member?.flattened === true || shape.flattened, dialect, path);
    default:
      return node.value === undefined ? undefined : readScalar(shape, node.value, dialect, path);
  }
}

function listNode(member: Member, node: QueryNode, dialect: QueryDialect): QueryNode | undefined {
  const direct = node.children.get(queryMemberName(member, dialect));
  const itemName = member.shape.member?.locationName;
  const flattened = member.flattened === true || member.shape.flattened;
  if (direct || dialect.ec2 || !flattened || !itemName) return direct;
  return node.children.get(itemName);
}

/** Reads the members of a structure from the parameter tree. */
export function readQueryStructure(shape: Shape, node: QueryNode, dialect: QueryDialect, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of shape.members) {
    const child = member.shape.type === 'list' ? listNode(member, node, dialect) : node.children.get(queryMemberName(member, dialect));
    if (!child) continue;
    const name = path ? `${path}.${member.name}` : member.name;
    const value = readQueryValue(member.shape, child, dialect, name, member);
    if (value !== undefined) out[member.name] = value;
  }
  return out;
}
