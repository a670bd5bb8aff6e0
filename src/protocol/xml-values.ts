/**
 * @module
 * Converting between XML elements and shaped values, shared by awsQuery and ec2Query responses
 * and by restXml bodies. Element names come from member `locationName` (else the member name);
 * lists are wrapped in `<Name><member>…</member></Name>` (item name from the list member's
 * locationName) unless flattened; maps are `<entry><key/><value/></entry>`; xmlAttribute members
 * become attributes and xmlNamespace traits become `xmlns` declarations.
 */
import type { Member, Shape, TimestampFormat } from './model.js';
import { setOwn } from './records.js';
import { formatTimestamp, parseTimestamp, toDate } from './timestamps.js';
import { MalformedXmlError, appendElement, attributeValue, childElements, firstChild, type XmlElement } from './xml.js';

/** How a protocol writes scalars in XML. */
export interface XmlStyle {
  /** Whether ISO 8601 timestamps keep their milliseconds (S3 and EC2 do; awsQuery does not). */
  readonly isoMillis: boolean;
}

/** An ISO 8601 timestamp with milliseconds, as S3 and EC2 write them (`2024-01-01T00:00:00.000Z`). */
export function isoWithMillis(date: Date): string {
  return date.toISOString();
}

/** Writes a timestamp in `format`, honouring the protocol's ISO 8601 style. */
export function writeTimestamp(date: Date, format: TimestampFormat, style: XmlStyle): string {
  if (format === 'iso8601' && style.isoMillis) return isoWithMillis(date);
  return String(formatTimestamp(date, format));
}

/** The element (or attribute) name of a member. */
export function xmlName(member: Member): string {
  return member.locationName ?? member.name;
}

function isFlattened(member: Member): boolean {
  return member.flattened === true || member.shape.flattened;
}

function namespaceAttribute(el: XmlElement, ref: Member | undefined): void {
  const ns = ref?.xmlNamespace;
  if (ns) el.attributes[ns.prefix ? `xmlns:${ns.prefix}` : 'xmlns'] = ns.uri;
}

/** The text of a scalar value, or undefined when the value cannot be written as `shape`. */
export function scalarText(shape: Shape, value: unknown, style: XmlStyle, format?: TimestampFormat): string | undefined {
  switch (shape.type) {
    case 'timestamp': {
      const date = toDate(value);
      return date && writeTimestamp(date, format ?? shape.timestampFormat ?? 'iso8601', style);
    }
    case 'blob':
      return Buffer.isBuffer(value) || value instanceof Uint8Array
        ? Buffer.from(value).toString('base64')
        : Buffer.from(String(value), 'utf8').toString('base64');
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function writeNamed(ref: Member, name: string, value: unknown, parent: XmlElement, style: XmlStyle): void {
  const shape = ref.shape;
  const el = appendElement(parent, name);
  namespaceAttribute(el, ref);
  switch (shape.type) {
    case 'structure':
      writeXmlMembers(shape, value as Record<string, unknown>, el, style);
      return;
    case 'list':
      for (const item of value as unknown[]) {
        if (item !== undefined && item !== null) writeNamed(shape.member!, shape.member!.locationName ?? 'member', item, el, style);
      }
      return;
    case 'map':
      writeEntries(shape, value as Record<string, unknown>, el, 'entry', style);
      return;
    default:
      el.text = scalarText(shape, value, style, ref.timestampFormat) ?? '';
  }
}

function writeEntries(shape: Shape, map: Record<string, unknown>, parent: XmlElement, entryName: string, style: XmlStyle): void {
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined || value === null) continue;
    const entry = appendElement(parent, entryName);
    appendElement(entry, shape.key?.locationName ?? 'key', key);
    writeNamed(shape.value!, shape.value!.locationName ?? 'value', value, entry, style);
  }
}

/**
 * Writes the members of a structure value into `into`, in model order. Members with an HTTP
 * location (headers, URI, query, status code) are skipped, as are undefined and null values and
 * names the shape does not declare.
 */
export function writeXmlMembers(shape: Shape, value: Record<string, unknown>, into: XmlElement, style: XmlStyle): void {
  for (const member of shape.members) {
    const item = value[member.name];
    if (item === undefined || item === null || member.location) continue;
    const name = xmlName(member);
    if (member.xmlAttribute) {
      into.attributes[name] = scalarText(member.shape, item, style, member.timestampFormat) ?? '';
    } else if (member.shape.type === 'list' && isFlattened(member)) {
      for (const entry of item as unknown[]) {
        if (entry !== undefined && entry !== null) writeNamed({ ...member.shape.member!, xmlNamespace: member.xmlNamespace }, name, entry, into, style);
      }
    } else if (member.shape.type === 'map' && isFlattened(member)) {
      writeEntries(member.shape, item as Record<string, unknown>, into, name, style);
    } else {
      writeNamed(member, name, item, into, style);
    }
  }
}

/** Reads the text of a scalar element or attribute as `shape`; throws MalformedXmlError when it does not parse. */
export function readScalar(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(n)) throw new MalformedXmlError();
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw new MalformedXmlError();
      return t === 'true';
    }
    case 'timestamp': {
      const date = parseTimestamp(text.trim());
      if (!date) throw new MalformedXmlError();
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

function readElement(shape: Shape, el: XmlElement): unknown {
  switch (shape.type) {
    case 'structure':
      return readXmlStructure(shape, el);
    case 'list':
      return childElements(el, shape.member!.locationName ?? 'member').map((item) => readElement(shape.member!.shape, item));
    case 'map':
      return readEntries(shape, childElements(el, 'entry'));
    default:
      return readScalar(shape, el.text);
  }
}

function readEntries(shape: Shape, entries: XmlElement[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const key = firstChild(entry, shape.key?.locationName ?? 'key');
    const value = firstChild(entry, shape.value!.locationName ?? 'value');
    if (key && value) setOwn(out, key.text, readElement(shape.value!.shape, value));
  }
  return out;
}

/**
 * Reads the members of a structure from an element. Members with an HTTP location are left to
 * the protocol; unknown elements are ignored.
 */
export function readXmlStructure(shape: Shape, el: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of shape.members) {
    if (member.location) continue;
    const name = xmlName(member);
    if (member.xmlAttribute) {
      const text = attributeValue(el, name);
      if (text !== undefined) out[member.name] = readScalar(member.shape, text);
    } else if (member.shape.type === 'list' && isFlattened(member)) {
      const items = childElements(el, name);
      if (items.length > 0) out[member.name] = items.map((item) => readElement(member.shape.member!.shape, item));
    } else if (member.shape.type === 'map' && isFlattened(member)) {
      const entries = childElements(el, name);
      if (entries.length > 0) out[member.name] = readEntries(member.shape, entries);
    } else {
      const child = firstChild(el, name);
      if (child) out[member.name] = readElement(member.shape, child);
    }
  }
  return out;
}
